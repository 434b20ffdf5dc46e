import { namespaceOf, selectorOf, type LoadedObject, type Service, type ServicePort } from '@anymesh/core';
import { managedMetadata } from '../../shared/metadata.js';
import type { LinkerdContext } from '../context.js';
import { SERVER_VERSION } from '../names.js';

/** Linkerd's Server `accessPolicy`: what a request no AuthorizationPolicy admits gets. */
export type ServerAccess = 'deny' | 'all-authenticated' | 'all-unauthenticated';

const PROXY_PROTOCOL: Partial<Record<NonNullable<ServicePort['protocol']>, string>> = { http2: 'HTTP/2', grpc: 'gRPC' };

export function serverName(service: string, port: number): string {
  return `${service}-${port}`;
}

/**
 * A Server for one port of a service: the pods of the service's selector, on the service's port
 * number (Server ports are pod ports; the neutral model only knows service ports, so they are
 * assumed equal — reported once per service by the caller).
 */
export function emitServer(ctx: LinkerdContext, service: LoadedObject<Service>, port: ServicePort, access: ServerAccess): string {
  const svc = service.object;
  const name = serverName(svc.metadata.name, port.port);
  ctx.manifests.push({
    apiVersion: SERVER_VERSION,
    kind: 'Server',
    metadata: managedMetadata(name, namespaceOf(svc), [svc, ...(ctx.set.mesh ? [ctx.set.mesh.object] : [])]),
    spec: {
      podSelector: { matchLabels: selectorOf(svc) },
      port: port.port,
      proxyProtocol: PROXY_PROTOCOL[port.protocol ?? 'http'],
      accessPolicy: access,
    },
  });
  return name;
}
