import { Counter, type Registry } from 'prom-client';

export type AccessDecisionLabel = 'allow' | 'deny' | 'audit_deny' | 'audit_allow';

/**
 * `anymesh_access_decisions_total{decision, policy}` in the sidecar's registry. Labels are bounded:
 * four decisions × the AccessPolicies in force (`default` when the mesh default decided).
 */
export class AccessMetrics {
  readonly #decisions: Counter<'decision' | 'policy'>;
  readonly #children = new Map<string, { inc(): void }>();

  constructor(registry: Registry) {
    this.#decisions = new Counter({
      name: 'anymesh_access_decisions_total',
      help: 'Access-control decisions at the inbound sidecar, by decision and deciding AccessPolicy (audit_* = what an audit-mode policy would have done).',
      labelNames: ['decision', 'policy'],
      registers: [registry],
    });
  }

  decision(decision: AccessDecisionLabel, policy: string): void {
    const key = `${decision}\u0000${policy}`;
    let child = this.#children.get(key);
    if (child === undefined) {
      child = this.#decisions.labels(decision, policy);
      this.#children.set(key, child);
    }
    child.inc();
  }
}
