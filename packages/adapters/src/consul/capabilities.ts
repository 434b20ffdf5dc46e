import type { Capability, FeatureName } from '@anymesh/core';

const full = (note: string): Capability => ({ level: 'full', note });
const partial = (note: string): Capability => ({ level: 'partial', note });
const none = (note: string): Capability => ({ level: 'none', note });

/** What Consul (consul-k8s config entries) can express, per neutral feature. */
export const consulCapabilities = {
  'route.pathExact': full('ServiceRouter match.http.pathExact.'),
  'route.pathPrefix': full('Segment prefix emulated with pathExact + pathPrefix "<p>/" (Consul prefixes are character prefixes).'),
  'route.pathRegex': full('match.http.pathRegex (Envoy RE2, whole path).'),
  'route.pathIgnoreCase': full('match.http.caseInsensitive on exact and prefix paths.'),
  'route.headerExact': full('match.http.header[].exact.'),
  'route.headerPrefix': full('match.http.header[].prefix.'),
  'route.headerRegex': full('match.http.header[].regex.'),
  'route.headerPresent': full('match.http.header[].present.'),
  'route.headerAbsent': full('match.http.header[] present + invert.'),
  'route.queryParam': full('match.http.queryParam[] exact, regex, present.'),
  'route.method': full('match.http.methods.'),
  'route.precedence': full('Routes are first-match; emitted in neutral precedence order with an explicit catch-all.'),
  'split.versions': partial(
    'Resolver subsets filter on Service.Meta.version: pods need the consul.hashicorp.com/service-meta-version annotation.',
  ),
  'split.weighted': partial(
    'Splitter percentages with 0.01 granularity summing to 100, one virtual service per split rule; rounding is reported.',
  ),
  mirror: none('service-router has no mirroring.'),
  'rewrite.path': partial('prefixRewrite; a full-path rewrite only on exact-path matches.'),
  'rewrite.host': none('service-router has no host rewrite.'),
  redirect: none('service-router cannot answer with a redirect.'),
  'headers.request': full('Route destination requestHeaders add/set/remove.'),
  'headers.response': full('Route destination responseHeaders add/set/remove.'),
  'fault.delay': none('No fault injection in Consul config entries.'),
  'fault.abort': none('No fault injection in Consul config entries.'),
  'timeout.request': partial('Route/resolver requestTimeout; "no timeout" needs Consul 1.18+ (-1s), else 15s applies.'),
  'timeout.perTry': none('Consul routes have no per-try timeout.'),
  'timeout.idle': none("Consul's idleTimeout is a stream idle timeout, not an upstream connection idle timeout."),
  'timeout.connect': partial('ServiceResolver connectTimeout, per service: a version-targeted policy has no place.'),
  'retry.attempts': partial('Route destination numRetries, per route: a version-targeted policy has no place.'),
  'retry.conditions': full('retryOn, retryOnStatusCodes, retryOnConnectFailure.'),
  'retry.backoff': none("No backoff setting; Envoy's default applies."),
  'retry.budget': none('No retry budget.'),
  circuitBreaker: partial("Limits live in each caller's ServiceDefaults upstreamConfig.overrides; no max requests per connection."),
  outlierDetection: partial("passiveHealthCheck in each caller's ServiceDefaults; consecutive 5xx only, no gateway-error counter."),
  'loadBalancer.algorithm': partial(
    'ServiceResolver loadBalancer.policy round_robin, least_request, random; per service, not per version.',
  ),
  'loadBalancer.consistentHash': partial(
    'ring_hash with hashPolicies on header, cookie or source IP; HTTP only, per service, not per version.',
  ),
  'failover.locality': partial('prioritizeByLocality failover (health-check driven); no ordered locality list.'),
  'access.defaultDeny': full('A `*` → `*` intention plus an explicit catch-all permission per source.'),
  'access.deny': full('Deny permissions ordered first within each source, which carries every rule that applies to it.'),
  'access.sourceService': partial('Callers are Consul service names, not service accounts.'),
  'access.sourceNamespace': partial('Namespace sources need Consul Enterprise namespaces.'),
  'access.sourceVersion': partial("Exact only when the named versions cover all of the service's identities; otherwise fails closed."),
  'access.destinationPort': partial('Intentions apply to the whole service: exact when a rule names all its ports, else fails closed.'),
  'access.methodPath': full('L7 permissions on methods and path exact/prefix (HTTP protocols only).'),
  'access.audit': none('Intentions have no dry-run mode.'),
  'mtls.strict': full('ProxyDefaults mutualTLSMode strict (Consul default).'),
  'mtls.permissive': partial(
    'Needs transparent proxy and Mesh allowEnablingPermissiveMutualTLS; intentions are not enforced on plaintext.',
  ),
  'mtls.disabled': none('Consul service mesh cannot disable mTLS.'),
  'observability.metrics': full('ProxyDefaults config envoy_prometheus_bind_addr.'),
  'observability.tracing': partial('Raw Envoy JSON in ProxyDefaults config, not validated by Consul.'),
  'observability.accessLogs': full('ProxyDefaults accessLogs, JSON or text.'),
  'rollout.canary': partial("Driven by anymesh's controller through ServiceSplitter weights; Consul has no Flagger provider."),
  'rollout.abTest': partial(
    "Driven by anymesh's controller through ServiceRouter header matches (no cookie match field: header regex on Cookie).",
  ),
  'rollout.blueGreen': partial("Driven by anymesh's controller switching ServiceRouter/ServiceSplitter destinations."),
} as const satisfies Record<FeatureName, Capability>;
