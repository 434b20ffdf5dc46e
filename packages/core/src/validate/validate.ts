import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PolicySet } from '../model/policy-set.js';
import { checkDuplicates } from './checks/duplicates.js';
import { checkReferences } from './checks/references.js';
import { checkRegexes } from './checks/regexes.js';
import { checkRollouts } from './checks/rollouts.js';
import { checkRules } from './checks/rules.js';
import { checkTimeouts } from './checks/timeouts.js';
import { checkUnreachable } from './checks/unreachable.js';
import { checkWeights } from './checks/weights.js';
import type { Check } from './report.js';

const CHECKS: readonly Check[] = [
  checkDuplicates,
  checkReferences,
  checkWeights,
  checkRegexes,
  checkUnreachable,
  checkTimeouts,
  checkRules,
  checkRollouts,
];

/** Semantic checks over a schema-valid policy set; every check runs, all findings are returned. */
export function checkPolicySet(set: PolicySet): Diagnostic[] {
  return CHECKS.flatMap((check) => check(set));
}
