import type { Capability, FeatureName } from '@anymesh/core';

const full = (note: string): Capability => ({ level: 'full', note });
const partial = (note: string): Capability => ({ level: 'partial', note });

/** What Istio expresses, per neutral feature. The single source for `anymesh capabilities` and the dashboard. */
export const ISTIO_CAPABILITIES = {
  'route.pathExact': full('uri.exact.'),
  'route.pathPrefix': full('Istio prefixes are character-wise; a segment prefix /p is written as uri.exact /p plus uri.prefix /p/.'),
  'route.pathRegex': full('uri.regex (Envoy RE2, full match), written anchored ^(?:…)$.'),
  'route.pathIgnoreCase': full('ignoreUriCase on the exact/prefix blocks.'),
  'route.headerExact': full(
    'headers.<lower-case name>.exact. Istio reserves the names uri, scheme, method and authority: such a match is left out (reported).',
  ),
  'route.headerPrefix': full('headers.<name>.prefix.'),
  'route.headerRegex': full('headers.<name>.regex, anchored.'),
  'route.headerPresent': full('headers.<name>: {} (presence).'),
  'route.headerAbsent': full('withoutHeaders.<name>: {}.'),
  'route.queryParam': full('queryParams exact/regex; presence as regex .*.'),
  'route.method': full('method.exact.'),
  'route.precedence': full(
    'Istio is first-match; http[] entries are emitted in the neutral specificity order, one VirtualService per host.',
  ),
  'split.versions': partial(
    'DestinationRule subsets; a version-scoped TrafficPolicy applies only to traffic routed to the subset and inherits unset service-level groups (reported).',
  ),
  'split.weighted': full('route[].weight, relative like the neutral weights.'),
  mirror: full('mirror + mirrorPercentage, percentage always written (Istio defaults to 100%).'),
  'rewrite.path': full('rewrite.uri per segment half; full-path after a prefix match via uriRegexRewrite.'),
  'rewrite.host': full('rewrite.authority.'),
  redirect: partial(
    'redirect.uri/prefixRewrite, redirectCode always written (Istio defaults to 301), derivePort for the default port; a scheme-only redirect keeps a non-default request port (reported).',
  ),
  'headers.request': full('headers.request set/add/remove.'),
  'headers.response': full('headers.response set/add/remove.'),
  'fault.delay': partial(
    'fault.delay.fixedDelay with explicit percentage; Istio disables timeouts and retries on a route with a fault (reported).',
  ),
  'fault.abort': partial(
    'fault.abort.httpStatus with explicit percentage; Istio disables timeouts and retries on a route with a fault (reported).',
  ),
  'timeout.request': full('http[].timeout on each route; the service TrafficPolicy timeout on routes without their own.'),
  'timeout.perTry': full('retries.perTryTimeout.'),
  'timeout.idle': full('DestinationRule connectionPool.http.idleTimeout.'),
  'timeout.connect': full('DestinationRule connectionPool.tcp.connectTimeout.'),
  'retry.attempts': full(
    'retries.attempts; explicit attempts: 0 wherever the neutral model has no retries, since Istio retries twice by default.',
  ),
  'retry.conditions': full('retries.retryOn always written (Istio default differs); status codes inline.'),
  'retry.backoff': partial('retries.backoff sets the base interval only; the maximum interval stays 10 × base.'),
  'retry.budget': partial('DestinationRule trafficPolicy.retryBudget (Istio ≥ 1.27) caps concurrent retries, not a retry/request ratio.'),
  circuitBreaker: full(
    'connectionPool tcp.maxConnections, http.http1MaxPendingRequests, http.http2MaxRequests, http.maxRequestsPerConnection.',
  ),
  outlierDetection: partial(
    'outlierDetection with every field explicit; maxEjectionPercent is a whole percent, so a fractional one is rounded down (reported).',
  ),
  'loadBalancer.algorithm': full('loadBalancer.simple ROUND_ROBIN / LEAST_REQUEST / RANDOM.'),
  'loadBalancer.consistentHash': full('loadBalancer.consistentHash httpHeaderName / httpCookie / useSourceIp.'),
  'failover.locality': partial(
    'localityLbSetting; needs outlierDetection (added and reported when missing); ordered failover only region to region.',
  ),
  'access.defaultDeny': full('An allow-nothing ALLOW policy per namespace that holds services.'),
  'access.deny': full('DENY AuthorizationPolicy; Istio evaluates DENY before ALLOW, like the neutral deny-wins.'),
  'access.sourceService': full(
    'principals without spiffe://. Under defaultAccess allow no ALLOW policy is written: any Istio ALLOW policy would deny every unmatched request, while neutral allow rules cannot change a decision there.',
  ),
  'access.sourceNamespace': full('source.namespaces (from the verified certificate).'),
  'access.sourceVersion': partial(
    "The version's service-account principal; versions sharing an account cannot be told apart (allow source dropped, deny widened; reported).",
  ),
  'access.destinationPort': full('operation.ports; assumes service port = container port (reported).'),
  'access.methodPath': full('operation.methods and operation.paths (exact, prefix*, *).'),
  'access.audit': partial('AUDIT policies only mark requests for an audit-capable provider; would-be decisions are not reported.'),
  'mtls.strict': full('Mesh-wide PeerAuthentication STRICT in the root namespace; a certificate lifetime is an install setting (stated).'),
  'mtls.permissive': full('PeerAuthentication PERMISSIVE.'),
  'mtls.disabled': full('PeerAuthentication DISABLE.'),
  'observability.metrics': full('On by default; disabling writes a Telemetry metrics override.'),
  'observability.tracing': partial(
    'Telemetry randomSamplingPercentage always written; the collector endpoint is a meshConfig provider (reported).',
  ),
  'observability.accessLogs': full(
    'Telemetry accessLogging with the envoy provider; JSON assumes meshConfig.accessLogEncoding: JSON (stated).',
  ),
  'rollout.canary': partial("Driven by anymesh's rollout controller shifting VirtualService weights; not translated into static config."),
  'rollout.abTest': partial("Driven by anymesh's rollout controller adding header/cookie routes; not translated into static config."),
  'rollout.blueGreen': partial(
    "Driven by anymesh's rollout controller switching VirtualService weights; not translated into static config.",
  ),
} satisfies Record<FeatureName, Capability>;
