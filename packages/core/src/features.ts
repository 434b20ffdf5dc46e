/**
 * The feature registry: every neutral capability an implementation may or may not express.
 * Adapters' `capabilities` tables are `satisfies Record<FeatureName, …>`, so adding a feature
 * fails to compile until every adapter decides.
 */
export const FEATURES = {
  'route.pathExact': 'Match the request path exactly.',
  'route.pathPrefix': 'Match a segment-wise path prefix.',
  'route.pathRegex': 'Match the whole path with an RE2 expression.',
  'route.pathIgnoreCase': 'Case-insensitive exact/prefix path match.',
  'route.headerExact': 'Match a header value exactly.',
  'route.headerPrefix': 'Match a header value prefix.',
  'route.headerRegex': 'Match a header value with an RE2 expression.',
  'route.headerPresent': 'Match on a header being present.',
  'route.headerAbsent': 'Match on a header being absent.',
  'route.queryParam': 'Match query parameters (exact, regex, present).',
  'route.method': 'Match the HTTP method.',
  'route.precedence': 'Most-specific-match rule precedence with ties by rule order.',
  'split.versions': 'Route to versions (label subsets) of a service.',
  'split.weighted': 'Split traffic by relative integer weights.',
  mirror: 'Mirror a percentage of requests, fire-and-forget.',
  'rewrite.path': 'Rewrite the path (prefix or full) before forwarding.',
  'rewrite.host': 'Rewrite the Host/authority before forwarding.',
  redirect: 'Answer with an HTTP redirect.',
  'headers.request': 'Set, add or remove request headers.',
  'headers.response': 'Set, add or remove response headers.',
  'fault.delay': 'Inject a delay into a percentage of requests.',
  'fault.abort': 'Abort a percentage of requests with a status code.',
  'timeout.request': 'Timeout of the whole request, retries included.',
  'timeout.perTry': 'Timeout of each attempt.',
  'timeout.idle': 'Idle timeout of upstream connections.',
  'timeout.connect': 'TCP connect timeout per destination.',
  'retry.attempts': 'Retry a number of times.',
  'retry.conditions': 'Choose what is retried (5xx, gateway errors, reset, connect failure, status codes).',
  'retry.backoff': 'Exponential backoff between retries.',
  'retry.budget': 'Cap retries as a share of requests.',
  circuitBreaker: 'Connection, pending and concurrent request limits.',
  outlierDetection: 'Eject failing instances (consecutive errors, ejection time, max ejection %).',
  'loadBalancer.algorithm': 'Choose round robin, least request or random.',
  'loadBalancer.consistentHash': 'Consistent hashing on a header, cookie or source IP.',
  'failover.locality': 'Fail over to other localities when local instances are unhealthy.',
  'access.defaultDeny': 'Deny calls no rule allows.',
  'access.deny': 'Explicit deny rules that win over allow.',
  'access.sourceService': 'Authorize callers by service identity.',
  'access.sourceNamespace': 'Authorize callers by namespace.',
  'access.sourceVersion': 'Authorize callers by version.',
  'access.destinationPort': 'Restrict a rule to destination ports.',
  'access.methodPath': 'Restrict a rule to HTTP methods and paths.',
  'access.audit': 'Dry-run access policies: log, do not enforce.',
  'mtls.strict': 'Reject plaintext between workloads.',
  'mtls.permissive': 'Accept mTLS and plaintext.',
  'mtls.disabled': 'Plaintext between workloads.',
  'observability.metrics': 'Request metrics.',
  'observability.tracing': 'Tracing with an explicit sampling rate.',
  'observability.accessLogs': 'Access logs.',
  'rollout.canary': 'Canary rollout with weight steps and analysis.',
  'rollout.abTest': 'A/B rollout by header or cookie.',
  'rollout.blueGreen': 'Blue/green rollout.',
} as const;

export type FeatureName = keyof typeof FEATURES;
export const FEATURE_NAMES = Object.keys(FEATURES) as FeatureName[];

export type SupportLevel = 'full' | 'partial' | 'none';

/** How well one implementation expresses one feature, with the one-line reason. */
export interface Capability {
  readonly level: SupportLevel;
  readonly note: string;
}

export type CapabilityTable = Readonly<Record<FeatureName, Capability>>;
