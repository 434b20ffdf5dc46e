import type { AccessTarget } from '@anymesh/core';
import type { IntentionHttpSpec, IntentionPermissionSpec, IntentionSourceSpec } from './consul-types.js';

/** What a rule's `to` matches within its destination: everything, or any of these HTTP conditions. */
export type OperationMatch = 'all' | readonly IntentionHttpSpec[];

/** One `to` operation as Consul permission conditions (paths are ORed; methods ride on each). */
export function operationMatch(to: AccessTarget): OperationMatch {
  const methods = to.methods ? { methods: [...to.methods] } : {};
  const paths = to.paths ?? ['*'];
  if (paths.includes('*')) return to.methods ? [methods] : 'all';
  return paths.map((p) => (p.endsWith('*') ? { pathPrefix: p.slice(0, -1), ...methods } : { pathExact: p, ...methods }));
}

export interface ApplicableRule {
  readonly action: 'allow' | 'deny';
  readonly operation: OperationMatch;
}

/**
 * The intention source that reproduces the neutral decision for the callers it governs. Consul
 * evaluates a source's permissions first-match, so denies go first ("any matching deny denies"),
 * then allows, then an explicit catch-all with the neutral default: without it, unmatched
 * requests would fall to Consul's ACL default policy, which the neutral model does not know about.
 */
export function intentionSource(
  base: { name: string; namespace?: string },
  rules: readonly ApplicableRule[],
  fallback: 'allow' | 'deny',
): IntentionSourceSpec {
  const ordered = [...rules.filter((r) => r.action === 'deny'), ...rules.filter((r) => r.action === 'allow')];
  const list: { action: 'allow' | 'deny'; http: IntentionHttpSpec | 'all' }[] = [];
  for (const r of ordered) {
    if (r.operation === 'all') {
      list.push({ action: r.action, http: 'all' });
      break;
    }
    for (const http of r.operation) list.push({ action: r.action, http });
  }
  if (list.at(-1)?.http !== 'all') list.push({ action: fallback, http: 'all' });
  const last = list.at(-1)!;
  // Conditions just before the catch-all with its action change nothing.
  while (list.length > 1 && list.at(-2)!.action === last.action) list.splice(-2, 1);
  if (list.length === 1) return { ...base, action: last.action };
  const permissions: IntentionPermissionSpec[] = list.map((p) => ({
    action: p.action,
    http: p.http === 'all' ? { pathPrefix: '/' } : p.http,
  }));
  return { ...base, permissions };
}
