import type { MatchedRule } from '@anymesh/core';

/** What access control decided for one request, as access logs and tap show it. */
export interface AccessNote {
  readonly decision: 'allow' | 'deny';
  /** `AccessPolicy/<ns>/<name>#<rule name or index>`, or `default` (Mesh.spec.defaultAccess). */
  readonly rule: string;
  /** Set when an audit-mode policy would have decided otherwise: what it would have done and by which rule. */
  readonly audit?: { readonly wouldAllow: boolean; readonly rule: string };
}

export const DEFAULT_RULE = 'default';

export function ruleRef(rule: MatchedRule | undefined): string {
  return rule === undefined ? DEFAULT_RULE : `${rule.policy}#${rule.name ?? rule.index}`;
}
