import { namespaceOf, type AccessPolicy, type AccessRule, type LoadedObject } from '@anymesh/core';
import { OBJECT_NAME_MAX } from '../../shared/names.js';
import type { LinkerdContext } from '../context.js';
import { NAME_SPACES } from '../names.js';

/** An enforced access rule, with where it was written. */
export interface PlacedRule {
  readonly loaded: LoadedObject<AccessPolicy>;
  readonly index: number;
  readonly rule: AccessRule;
  readonly namespace: string;
  /**
   * Name of the rule's authentication object, and the suffix of its authorizations: `<policy>-<rule
   * name | rule-N>` unless another rule has that name (policy `a` rule `b-c`, policy `a-b` rule `c`).
   */
  readonly name: string;
  /** Identifies the rule among all rules: `AccessPolicy/<ns>/<policy>/<index>`. */
  readonly owner: string;
}

/**
 * The enforced rules (audit-mode policies are reported: Linkerd's only dry run is a whole Server's
 * `accessPolicy: audit`, which cannot say what one rule would have done; neutral enforcement ignores
 * them, and so does this translation).
 */
export function enforcedRules(ctx: LinkerdContext): PlacedRule[] {
  const rules: PlacedRule[] = [];
  for (const loaded of ctx.set.accessPolicies) {
    const p = loaded.object;
    if (p.spec.mode === 'audit') {
      ctx.gaps.unsupported(
        loaded,
        ['spec', 'mode'],
        'access.audit',
        "Linkerd's only dry run is a whole Server's accessPolicy: audit, which cannot report one rule's decision; the policy is not enforced (as in the neutral model) and nothing is emitted for it",
      );
      continue;
    }
    const namespace = namespaceOf(p);
    p.spec.rules.forEach((rule, index) => {
      const owner = `AccessPolicy/${namespace}/${p.metadata.name}/${index}`;
      const preferred = `${p.metadata.name}-${rule.name ?? `rule-${index}`}`;
      const name = ctx.names.claim(NAME_SPACES.authentication, namespace, preferred, owner, OBJECT_NAME_MAX);
      rules.push({ loaded, index, rule, namespace, name, owner });
    });
  }
  return rules;
}

/** Whether a rule applies to a destination port. */
export function coversPort(rule: AccessRule, port: number): boolean {
  return rule.to.ports === undefined || rule.to.ports.includes(port);
}

/** A rule that restricts methods or paths needs inbound routes; others authorize a whole Server. */
export function isRouteScoped(rule: AccessRule): boolean {
  return rule.to.methods !== undefined || rule.to.paths !== undefined;
}
