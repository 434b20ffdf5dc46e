import { compileAccess, spiffeId, type MeshSettings, type PolicySet } from '@anymesh/core';
import type { SidecarLaunch } from './launch.js';
import type { ReplicaPlan } from './plan.js';

/** A service as reached from outside the mesh, through the ingress sidecar. */
export interface EntryPoint {
  readonly namespace: string;
  readonly service: string;
  readonly url: string;
  readonly host: string;
  /** Whether the AccessPolicies let the ingress call `GET /` on it (else it answers 403 from outside). */
  readonly reachableFromIngress: boolean;
}

/** One entry per service, in Workload order. */
export function entryPointsOf(replicas: readonly ReplicaPlan[], ingressUrl: string, reachable: (r: ReplicaPlan) => boolean): EntryPoint[] {
  const seen = new Set<string>();
  return replicas.flatMap((r) => {
    const key = `${r.namespace}/${r.service}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [
      {
        namespace: r.namespace,
        service: r.service,
        url: ingressUrl,
        host: `${r.service}.${r.namespace}`,
        reachableFromIngress: reachable(r),
      },
    ];
  });
}

/** Would the sidecars let the ingress call `GET /` on a replica's service? The decision the inbound sidecar makes. */
export function ingressAccess(
  set: PolicySet,
  mesh: MeshSettings,
  ingress: Pick<SidecarLaunch, 'namespace' | 'serviceAccount'>,
): (r: ReplicaPlan) => boolean {
  const decide = compileAccess(set);
  // Without mTLS there is no verified identity, so identity-based allow rules cannot match.
  const identity = mesh.mtlsMode === 'disabled' ? undefined : spiffeId(mesh.trustDomain, ingress.namespace, ingress.serviceAccount);
  return (r) => decide({ identity, namespace: r.namespace, service: r.service, port: r.servicePort, method: 'GET', path: '/' }).allowed;
}
