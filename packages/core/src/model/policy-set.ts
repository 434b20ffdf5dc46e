import type { AccessPolicy, Mesh, Rollout, Service, TrafficPolicy, TrafficRoute, Workload } from './generated.js';
import { isKind, namespaceOf, type LoadedObject } from './kinds.js';

/** `namespace/name` */
export type ServiceKey = string;

export function serviceKey(namespace: string, name: string): ServiceKey {
  return `${namespace}/${name}`;
}

/**
 * The loaded model, indexed. Lists keep input order; when a policy set holds conflicting objects
 * (validation reports them), the first one wins in the indexes.
 */
export interface PolicySet {
  readonly objects: readonly LoadedObject[];
  readonly mesh: LoadedObject<Mesh> | undefined;
  readonly services: ReadonlyMap<ServiceKey, LoadedObject<Service>>;
  readonly routes: readonly LoadedObject<TrafficRoute>[];
  readonly trafficPolicies: readonly LoadedObject<TrafficPolicy>[];
  readonly accessPolicies: readonly LoadedObject<AccessPolicy>[];
  readonly rollouts: readonly LoadedObject<Rollout>[];
  readonly workloads: readonly LoadedObject<Workload>[];
}

export function buildPolicySet(objects: readonly LoadedObject[]): PolicySet {
  const services = new Map<ServiceKey, LoadedObject<Service>>();
  for (const s of objects.filter(isKind('Service'))) {
    const key = serviceKey(namespaceOf(s.object), s.object.metadata.name);
    if (!services.has(key)) services.set(key, s);
  }
  return {
    objects,
    mesh: objects.find(isKind('Mesh')),
    services,
    routes: objects.filter(isKind('TrafficRoute')),
    trafficPolicies: objects.filter(isKind('TrafficPolicy')),
    accessPolicies: objects.filter(isKind('AccessPolicy')),
    rollouts: objects.filter(isKind('Rollout')),
    workloads: objects.filter(isKind('Workload')),
  };
}

export function findService(set: PolicySet, namespace: string, name: string): Service | undefined {
  return set.services.get(serviceKey(namespace, name))?.object;
}

/** The TrafficRoute governing calls to a service, if any. */
export function routeFor(set: PolicySet, namespace: string, service: string): TrafficRoute | undefined {
  return set.routes.find((r) => namespaceOf(r.object) === namespace && r.object.spec.service === service)?.object;
}

/** The TrafficPolicy for a service version: the version-specific one, else the service-wide one. */
export function trafficPolicyFor(set: PolicySet, namespace: string, service: string, version?: string): TrafficPolicy | undefined {
  const candidates = set.trafficPolicies
    .map((p) => p.object)
    .filter((p) => namespaceOf(p) === namespace && p.spec.target.service === service);
  return (
    (version === undefined ? undefined : candidates.find((p) => p.spec.target.version === version)) ??
    candidates.find((p) => p.spec.target.version === undefined)
  );
}
