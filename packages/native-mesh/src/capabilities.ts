import type { Capability, FeatureName } from '@anymesh/core';

const full = (note: string): Capability => ({ level: 'full', note });
const partial = (note: string): Capability => ({ level: 'partial', note });

/**
 * What the bundled native mesh (sidecar proxy + control plane) does with each neutral feature, with
 * why. The same data shape as the adapters' tables, so the CLI, the dashboard and docs show it as a
 * fourth column. Every `full`/`partial` claim is backed by a test that exercises it on real sockets
 * (test/capabilities.test.ts names them and checks they exist).
 */
export const NATIVE_CAPABILITIES = {
  'route.pathExact': full("Core's matcher on the request path, case-sensitive."),
  'route.pathPrefix': full("Core's segment-wise prefix."),
  'route.pathRegex': full('RE2 (re2js), anchored to the whole path.'),
  'route.pathIgnoreCase': full('Case-insensitive exact and prefix, ranked as the neutral table says.'),
  'route.headerExact': full('Core\'s header matcher; repeated headers are joined with ", " as Node does.'),
  'route.headerPrefix': full("Core's header matcher."),
  'route.headerRegex': full('RE2 (re2js), anchored to the whole value.'),
  'route.headerPresent': full("Core's header matcher."),
  'route.headerAbsent': full("Core's header matcher."),
  'route.queryParam': full("Core's query matcher (exact, regex, present)."),
  'route.method': full("Core's method matcher."),
  'route.precedence': full("Core's route table itself: most specific match first, ties by rule order."),
  'split.versions': full('One upstream group per version (instances registered with that version).'),
  'split.weighted': full('Relative integer weights, a weighted pick per request; weight 0 never.'),
  mirror: partial('Fire-and-forget copy at the percentage; bodies over 64 KiB are streamed and not mirrored.'),
  'rewrite.path': full('fullPath, or pathPrefix replacing the matched segment prefix (Gateway API ReplacePrefixMatch).'),
  'rewrite.host': full('Host header rewritten before forwarding.'),
  redirect: full('Answered by the outbound sidecar; default 302; prefix replacement keeps the rest and the query.'),
  'headers.request': full('set, add (appended), remove, in that order.'),
  'headers.response': full('set, add (appended), remove, in that order.'),
  'fault.delay': full('Fixed delay for the given percentage, before forwarding.'),
  'fault.abort': full('Status for the given percentage, independent of the delay; never retried.'),
  'timeout.request': full('Bounds the whole request: breaker wait, attempts, backoffs and the response body.'),
  'timeout.perTry': full('Bounds each attempt up to its response head.'),
  'timeout.idle': full('Idle keep-alive connections to an upstream are closed after it (default 60 s).'),
  'timeout.connect': full('Per new upstream connection (default 1 s).'),
  'retry.attempts': partial(
    'Retries after the first attempt, to another instance when there is one; bodies over 64 KiB are never retried.',
  ),
  'retry.conditions': full("Envoy's conditions: 5xx, gateway-error, reset, connect-failure, retriable-status-codes."),
  'retry.backoff': full('Full-jitter exponential backoff, capped at maxInterval.'),
  'retry.budget': full('Sliding-window budget per upstream group (always on, Linkerd-style defaults 20 % + 10/s).'),
  circuitBreaker: full('maxConnections, maxPendingRequests, maxRequests, maxRequestsPerConnection per caller and upstream group.'),
  outlierDetection: full('Consecutive 5xx / gateway errors, ejection time growing per ejection, maxEjectionPercent.'),
  'loadBalancer.algorithm': full('round-robin, least-request (power of two choices), random.'),
  'loadBalancer.consistentHash': full('Ketama ring on a header, cookie or source IP; ejected instances skipped.'),
  'failover.locality': full('Priority levels by zone/region (nearest or ordered), driven by ejection and registry changes.'),
  'access.defaultDeny': full('Mesh.defaultAccess applied at the inbound sidecar when no rule decides; 403 naming the default.'),
  'access.deny': full('Deny rules win over allow (core compileAccess); 403 with a JSON body naming the policy and rule.'),
  'access.sourceService': full("Matched on the caller's verified mTLS identity (SPIFFE ID), never on a header."),
  'access.sourceNamespace': full("Matched on the namespace of the caller's verified SPIFFE ID."),
  'access.sourceVersion': partial(
    "Resolved to the version's service account: versions sharing one cannot be told apart (as in the adapters).",
  ),
  'access.destinationPort': partial("An instance serves one port (its registered servicePort): a rule's ports are compared with that one."),
  'access.methodPath': full('Methods and exact, prefix* or * paths, per rule.'),
  'access.audit': full('Evaluated and reported (anymesh_access_decisions_total, access logs), never enforced.'),
  'mtls.strict': full("TLS 1.3 between sidecars with certificates from the control plane's CA; plaintext and other CAs refused."),
  'mtls.permissive': full('mTLS and plaintext on the same inbound port (first-byte sniffing); sidecars still prefer mTLS.'),
  'mtls.disabled': full('Plaintext between sidecars.'),
  'observability.metrics': partial(
    'Prometheus metrics on each sidecar admin port; `enabled: false` is not honoured (the dashboard and rollouts read them).',
  ),
  'observability.tracing': full('W3C traceparent, one span per hop, exported over OTLP/HTTP; the sampling percentage starts new traces.'),
  'observability.accessLogs': full("One line per request and hop, JSON or text, to the proxy's stdout or a file."),
  'rollout.canary': full(
    "The control plane's controller shifts the route's weights step by step on the sidecars' metrics; resumes after restarts.",
  ),
  'rollout.abTest': full(
    'Cohort rules (headers, cookie) put ahead of every authored rule while analysed; then everyone moves to the new version.',
  ),
  'rollout.blueGreen': full(
    'Preview header (and optional mirror) while analysed, one atomic switch; the old instances keep running, routable for scaleDownDelay.',
  ),
} satisfies Record<FeatureName, Capability>;
