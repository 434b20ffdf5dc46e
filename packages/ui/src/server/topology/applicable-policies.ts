import { namespaceOf, objectRef, type LoadedObject, type PolicyObject, type PolicySet } from '@anymesh/core';

function mentions(object: PolicyObject, service: string): boolean {
  switch (object.kind) {
    case 'Service':
      return object.metadata.name === service;
    case 'TrafficRoute':
    case 'Rollout':
    case 'Workload':
      return object.spec.service === service;
    case 'TrafficPolicy':
      return object.spec.target.service === service;
    case 'AccessPolicy':
      return object.spec.rules.some((r) => r.to.service === service || (r.from ?? []).some((f) => f.service === service));
    case 'Mesh':
      return true;
  }
}

/** Every loaded object that shapes traffic to or from a service, as `Kind/namespace/name`. */
export function policiesFor(set: PolicySet, namespace: string, service: string): string[] {
  return set.objects
    .filter((o: LoadedObject) => (o.object.kind === 'Mesh' || namespaceOf(o.object) === namespace) && mentions(o.object, service))
    .map((o) => objectRef(o.object));
}
