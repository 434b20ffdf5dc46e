import { namespaceOf, type PolicySet } from '@anymesh/core';

/** A call the policies say should exist, before any traffic proves it: `namespace/name` ids. */
export interface DeclaredEdge {
  readonly source: string;
  readonly target: string;
}

/**
 * Edges implied by the policies: each Workload's UPSTREAMS (`service:path` items, what the demo
 * apps call) and each AccessPolicy allow rule naming both a caller service and a callee.
 */
export function declaredEdges(set: PolicySet): DeclaredEdge[] {
  const edges = new Map<string, DeclaredEdge>();
  const add = (source: string, target: string) => {
    if (source !== target) edges.set(`${source}>${target}`, { source, target });
  };
  for (const { object } of set.workloads) {
    const ns = namespaceOf(object);
    const upstreams = object.spec.env?.UPSTREAMS ?? '';
    for (const item of upstreams.split(',')) {
      const service = item.split(':')[0]?.trim();
      if (service) add(`${ns}/${object.spec.service}`, `${ns}/${service}`);
    }
  }
  for (const { object } of set.accessPolicies) {
    const ns = namespaceOf(object);
    for (const rule of object.spec.rules) {
      if (rule.action !== 'allow') continue;
      for (const from of rule.from ?? []) {
        if (from.service) add(`${from.namespace ?? ns}/${from.service}`, `${ns}/${rule.to.service}`);
      }
    }
  }
  return [...edges.values()];
}
