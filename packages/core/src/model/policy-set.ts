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
  return loadedRouteFor(set, namespace, service)?.object;
}

/** routeFor, with the route's source (for diagnostics): the first route naming the service. */
export function loadedRouteFor(set: PolicySet, namespace: string, service: string): LoadedObject<TrafficRoute> | undefined {
  return indexOf(set).routes.get(serviceKey(namespace, service));
}

/** The TrafficPolicy for a service version: the version-specific one, else the service-wide one. */
export function trafficPolicyFor(set: PolicySet, namespace: string, service: string, version?: string): TrafficPolicy | undefined {
  return loadedTrafficPolicyFor(set, namespace, service, version)?.object;
}

/** trafficPolicyFor, with the policy's source (for diagnostics). */
export function loadedTrafficPolicyFor(
  set: PolicySet,
  namespace: string,
  service: string,
  version?: string,
): LoadedObject<TrafficPolicy> | undefined {
  const policies = indexOf(set).policies.get(serviceKey(namespace, service));
  return (version === undefined ? undefined : policies?.byVersion.get(version)) ?? policies?.serviceWide;
}

/** Every TrafficPolicy targeting a service (any version), in input order. */
export function trafficPoliciesOf(set: PolicySet, namespace: string, service: string): readonly LoadedObject<TrafficPolicy>[] {
  return indexOf(set).policies.get(serviceKey(namespace, service))?.all ?? [];
}

/** The services of a namespace, in the order of `set.services`. */
export function servicesIn(set: PolicySet, namespace: string): readonly LoadedObject<Service>[] {
  return indexOf(set).servicesByNamespace.get(namespace) ?? [];
}

/** The TrafficPolicies of one service; in each slot the first one wins, as in the lookups above. */
interface ServicePolicies {
  serviceWide: LoadedObject<TrafficPolicy> | undefined;
  readonly byVersion: Map<string, LoadedObject<TrafficPolicy>>;
  readonly all: LoadedObject<TrafficPolicy>[];
}

/** Lookups by service and namespace, built once per policy set so each lookup is O(1), not a scan. */
interface PolicyIndex {
  readonly routes: ReadonlyMap<ServiceKey, LoadedObject<TrafficRoute>>;
  readonly policies: ReadonlyMap<ServiceKey, ServicePolicies>;
  readonly servicesByNamespace: ReadonlyMap<string, readonly LoadedObject<Service>[]>;
}

// Keyed by the set itself: a PolicySet is immutable, and one built by hand (tests) is indexed on first use too.
const indexes = new WeakMap<PolicySet, PolicyIndex>();

function indexOf(set: PolicySet): PolicyIndex {
  let index = indexes.get(set);
  if (!index) {
    index = buildIndex(set);
    indexes.set(set, index);
  }
  return index;
}

function buildIndex(set: PolicySet): PolicyIndex {
  const routes = new Map<ServiceKey, LoadedObject<TrafficRoute>>();
  for (const r of set.routes) {
    const key = serviceKey(namespaceOf(r.object), r.object.spec.service);
    if (!routes.has(key)) routes.set(key, r);
  }
  const policies = new Map<ServiceKey, ServicePolicies>();
  for (const p of set.trafficPolicies) {
    const target = p.object.spec.target;
    const key = serviceKey(namespaceOf(p.object), target.service);
    let slot = policies.get(key);
    if (!slot) {
      slot = { serviceWide: undefined, byVersion: new Map(), all: [] };
      policies.set(key, slot);
    }
    slot.all.push(p);
    if (target.version === undefined) slot.serviceWide ??= p;
    else if (!slot.byVersion.has(target.version)) slot.byVersion.set(target.version, p);
  }
  const servicesByNamespace = new Map<string, LoadedObject<Service>[]>();
  for (const s of set.services.values()) {
    const ns = namespaceOf(s.object);
    const list = servicesByNamespace.get(ns);
    if (list) list.push(s);
    else servicesByNamespace.set(ns, [s]);
  }
  return { routes, policies, servicesByNamespace };
}
