import { DEFAULTS, findService, namespaceOf, type Destination, type LoadedObject, type Service } from '@anymesh/core';
import { neutralDestinationPort } from '../shared/destination-port.js';
import type { LinkerdContext } from './context.js';
import { NAME_SPACES, versionServiceName } from './names.js';

export interface BackendRef {
  name: string;
  namespace?: string;
  port: number;
  weight: number;
}

/** The port a backend Service is called on: the neutral one (the parent's port when the backend has it, else its first HTTP port). */
function backendPort(ctx: LinkerdContext, namespace: string, serviceName: string, parentPort: number): number {
  const backend = findService(ctx.set, namespace, serviceName);
  return backend ? neutralDestinationPort(backend, parentPort) : parentPort;
}

/**
 * GAMMA backendRefs for a rule's destinations. A version becomes its own Service
 * (`<service>-<version>`): Gateway API routes to Services, never to label subsets.
 */
export function backendRefs(
  ctx: LinkerdContext,
  loaded: LoadedObject,
  parent: Service,
  parentPort: number,
  destinations: readonly Destination[] | undefined,
): BackendRef[] {
  const namespace = namespaceOf(parent);
  return (destinations ?? [{}]).map((d) => {
    const serviceName = d.service ?? parent.metadata.name;
    const port = backendPort(ctx, namespace, serviceName, parentPort);
    const weight = d.weight ?? DEFAULTS.destinationWeight;
    if (d.version === undefined) return { name: serviceName, port, weight };
    const key = `${namespace}/${serviceName}/${d.version}`;
    // `api` version `v2` and a real Service `api-v2` (or `a` version `b-c` and `a-b` version `c`) want one name.
    const name = ctx.names.claim(NAME_SPACES.service, namespace, versionServiceName(serviceName, d.version), `version/${key}`);
    const service = ctx.set.services.get(`${namespace}/${serviceName}`);
    if (service) {
      const need = ctx.versionServices.get(key);
      if (need) need.requestedBy.push(loaded);
      else ctx.versionServices.set(key, { service, version: d.version, name, requestedBy: [loaded] });
    }
    return { name, port, weight };
  });
}
