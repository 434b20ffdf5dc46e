/**
 * Istio host names as istiod reads them: a short name (`web`) is the service of that name in the
 * namespace of the config that holds it, `web.shop` and `web.shop.svc` are completed with the
 * cluster domain; a fully qualified name stands as is. (Istio docs, VirtualService `hosts`.)
 */
const CLUSTER_DOMAIN = 'cluster.local';

export function qualify(host: string, configNamespace: string): string {
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${configNamespace}.svc.${CLUSTER_DOMAIN}`;
  if (parts.length === 2) return `${host}.svc.${CLUSTER_DOMAIN}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.${CLUSTER_DOMAIN}`;
  return host;
}

/** The Kubernetes service a fully qualified host names, or undefined for a host outside the cluster. */
export function serviceOfHost(fqdn: string): { service: string; namespace: string } | undefined {
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(fqdn);
  return m ? { service: m[1]!, namespace: m[2]! } : undefined;
}
