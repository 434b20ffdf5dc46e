/** istiod's root namespace: mesh-wide PeerAuthentication and Telemetry live there (Istio's default install). */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/** The Kubernetes cluster domain our hosts are written in; Istio resolves short names per namespace, FQDNs never ambiguously. */
export const CLUSTER_DOMAIN = 'cluster.local';

export const NETWORKING_V1 = 'networking.istio.io/v1';
export const SECURITY_V1 = 'security.istio.io/v1';
export const TELEMETRY_V1 = 'telemetry.istio.io/v1';

/** `reviews.bookstore.svc.cluster.local` */
export function hostOf(namespace: string, service: string): string {
  return `${service}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** Inverse of hostOf; undefined for hosts we did not write. */
export function parseHost(host: string): { namespace: string; service: string } | undefined {
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  if (!host.endsWith(suffix)) return undefined;
  const [service, namespace, ...rest] = host.slice(0, -suffix.length).split('.');
  return service && namespace && rest.length === 0 ? { service, namespace } : undefined;
}

/** Envoy regexes are full-match already; we anchor explicitly so the intent survives any reader. */
export function anchored(regex: string): string {
  return `^(?:${regex})$`;
}
