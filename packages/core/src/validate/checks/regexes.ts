import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { FieldPath } from '../../diagnostics/field-path.js';
import type { PolicySet } from '../../model/policy-set.js';
import { compileRegex } from '../../semantics/regex.js';
import { report } from '../report.js';

/** Every regex must be RE2 (no lookaround, no backreferences): what Envoy and Linkerd accept (AM3006). */
export function checkRegexes(set: PolicySet): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (loaded: PolicySet['objects'][number], value: unknown, path: FieldPath): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(loaded, v, [...path, i]));
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (k === 'regex' && typeof v === 'string') {
        const compiled = compileRegex(v);
        if ('error' in compiled) {
          out.push(
            report(
              loaded,
              'AM3006',
              [...path, k],
              `${JSON.stringify(v)} is not a valid RE2 expression (${compiled.error}); RE2 has no lookaround or backreferences, and the whole value is matched`,
            ),
          );
        }
      } else visit(loaded, v, [...path, k]);
    }
  };
  for (const l of [...set.routes, ...set.rollouts]) visit(l, l.object.spec, ['spec']);
  return out;
}
