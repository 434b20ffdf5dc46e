import type { MeshName } from '@anymesh/adapters';

export interface KindRef {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * Every kind each adapter can emit, in the order they are applied: a kind is applied after the kinds it names
 * (and deleted before them), so that no object ever points at one that is not there yet, and no service is left
 * with a half-written route.
 *
 * - Istio: DestinationRule subsets before the VirtualService routing to them; mesh-wide PeerAuthentication and
 *   Telemetry first.
 * - Linkerd: per-version Services before the routes whose backendRefs name them; authentications and
 *   AuthorizationPolicies before the Server they target, because a Server without its authorizations denies
 *   all traffic to its port.
 * - Consul: ProxyDefaults and Mesh (mesh-wide), then ServiceDefaults (the protocol the routing entries require), intentions, then
 *   resolver (subsets) → splitter → router, the order Consul's own config-entry graph resolves them.
 *
 * Prune lists exactly these kinds; apply refuses a kind not listed here, so server-acceptance.test.ts (every
 * conformance case, random sets) finds a kind an adapter emits that is missing.
 */
export const MESH_KINDS: Readonly<Record<MeshName, readonly (readonly KindRef[])[]>> = {
  istio: [
    [
      { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' },
      { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' },
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' },
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' },
    ],
    [{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }],
  ],
  linkerd: [
    [{ apiVersion: 'v1', kind: 'Service' }],
    [
      { apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'MeshTLSAuthentication' },
      { apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'NetworkAuthentication' },
    ],
    [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
      { apiVersion: 'policy.linkerd.io/v1beta3', kind: 'HTTPRoute' },
    ],
    [{ apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'AuthorizationPolicy' }],
    [{ apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server' }],
  ],
  consul: [
    [
      { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ProxyDefaults' },
      { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'Mesh' },
    ],
    [{ apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceDefaults' }],
    [{ apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceIntentions' }],
    [{ apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceResolver' }],
    [{ apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceSplitter' }],
    [{ apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceRouter' }],
  ],
};

const key = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;

/** Apply stage of a kind (0 first), or -1 for a kind the mesh's adapter does not emit. */
export function stageOf(mesh: MeshName, apiVersion: string, kind: string): number {
  return stageIndex(mesh).get(key(apiVersion, kind)) ?? -1;
}

const indexes = new Map<MeshName, Map<string, number>>();
function stageIndex(mesh: MeshName): Map<string, number> {
  let index = indexes.get(mesh);
  if (!index) {
    index = new Map(MESH_KINDS[mesh].flatMap((stage, i) => stage.map((k) => [key(k.apiVersion, k.kind), i] as const)));
    indexes.set(mesh, index);
  }
  return index;
}

/** Every kind of the mesh, flat. */
export function meshKinds(mesh: MeshName): readonly KindRef[] {
  return MESH_KINDS[mesh].flat();
}
