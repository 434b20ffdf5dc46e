import {
  loadedTrafficPolicyFor,
  meshSettings,
  namespaceOf,
  type LoadedObject,
  type MeshSettings,
  type PolicyObject,
  type PolicySet,
  type Protocol,
  type Service,
  type TrafficPolicy,
} from '@anymesh/core';
import { GapReporter } from '../shared/gaps.js';
import { managedMetadata } from '../shared/metadata.js';
import { NameAllocator } from '../shared/names.js';
import type { Manifest } from '../types.js';
import { CONSUL_API_VERSION } from './consul-types.js';

/** What every per-resource translator reads and writes. */
export interface ConsulContext {
  readonly set: PolicySet;
  readonly gaps: GapReporter;
  readonly mesh: MeshSettings;
  /** The namespace of mesh-wide objects (ProxyDefaults, Mesh, the default intention). */
  readonly meshNamespace: string;
  /** Consul service names (real ones reserved), so a generated virtual service never shares one. */
  readonly names: NameAllocator;
}

/** The name space of Consul services: config entries of every kind are named after one. */
export const SERVICE_NAMES = 'consul-service';

export function createContext(set: PolicySet, strict: boolean): ConsulContext {
  const names = new NameAllocator();
  for (const { object } of set.services.values()) {
    names.reserve(SERVICE_NAMES, namespaceOf(object), object.metadata.name, `Service/${namespaceOf(object)}/${object.metadata.name}`);
  }
  return {
    set,
    gaps: new GapReporter('consul', strict),
    mesh: meshSettings(set.mesh?.object),
    meshNamespace: set.mesh ? namespaceOf(set.mesh.object) : 'default',
    names,
  };
}

export function consulManifest(kind: string, name: string, namespace: string, sources: readonly PolicyObject[], spec: unknown): Manifest {
  return { apiVersion: CONSUL_API_VERSION, kind, metadata: managedMetadata(name, namespace, sources), spec };
}

/** Consul has one protocol per service; the neutral model has one per port. The first port decides. */
export function protocolOf(service: Service): Protocol {
  return service.spec.ports[0].protocol ?? 'http';
}

/** Router, splitter and L7 intentions need an HTTP-based protocol (C-CORE). */
export function isHttpProtocol(protocol: Protocol): boolean {
  return protocol !== 'tcp';
}

/** The service-wide TrafficPolicy of a service, with its loaded form for diagnostics. */
export function serviceWidePolicy(ctx: ConsulContext, service: Service): LoadedObject<TrafficPolicy> | undefined {
  return loadedTrafficPolicyFor(ctx.set, namespaceOf(service), service.metadata.name);
}

export function loadedServices(ctx: ConsulContext): LoadedObject<Service>[] {
  return [...ctx.set.services.values()];
}
