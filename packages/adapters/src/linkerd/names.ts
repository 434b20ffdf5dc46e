/** API versions the Linkerd adapter writes. GAMMA routes for outbound, Linkerd's policy CRDs for inbound. */
export const GATEWAY_V1 = 'gateway.networking.k8s.io/v1';
export const POLICY_GROUP = 'policy.linkerd.io';
export const SERVER_VERSION = `${POLICY_GROUP}/v1beta3`;
export const POLICY_ROUTE_VERSION = `${POLICY_GROUP}/v1beta3`;
export const AUTHZ_VERSION = `${POLICY_GROUP}/v1alpha1`;

/** Linkerd's control-plane namespace, part of every mesh identity (`<sa>.<ns>.serviceaccount.identity.<this>.<trustDomain>`). */
export const LINKERD_NAMESPACE = 'linkerd';

/** `reviews-v2`: the preferred name of the per-version Service a split points at (Linkerd routes to Services, not label subsets). */
export function versionServiceName(service: string, version: string): string {
  return `${service}-${version}`;
}

/**
 * Name spaces of generated objects (see shared/names.ts): a name is unique per kind and namespace.
 * MeshTLS- and NetworkAuthentication share one, because a rule gets one or the other under one name.
 */
export const NAME_SPACES = {
  service: 'v1/Service',
  outboundRoute: 'gateway.networking.k8s.io/HTTPRoute',
  authentication: 'policy.linkerd.io/Authentication',
  authorization: 'policy.linkerd.io/AuthorizationPolicy',
} as const;

/** Linkerd's DNS-like identity of a service account: `<sa>.<ns>.serviceaccount.identity.linkerd.<trustDomain>`. */
export function meshIdentity(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `${serviceAccount}.${namespace}.serviceaccount.identity.${LINKERD_NAMESPACE}.${trustDomain}`;
}

/** Every identity of a namespace, as a MeshTLSAuthentication suffix match. */
export function namespaceIdentities(trustDomain: string, namespace: string): string {
  return `*.${namespace}.serviceaccount.identity.${LINKERD_NAMESPACE}.${trustDomain}`;
}

/**
 * Linkerd checks that a regex match spans the whole value, but takes the leftmost-first match:
 * `a|ab` finds `a` in `ab` and then fails the span check. Explicit anchors make the engine find
 * the whole-value match whenever one exists, which is the neutral (anchored) meaning.
 */
export function anchored(regex: string): string {
  return `^(?:${regex})$`;
}

/** Escapes text for use inside a regex. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
