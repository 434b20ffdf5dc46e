import type { Manifest } from '../../../src/index.js';
import { namespaceOfObject, type AppliedState } from '../applied-state.js';
import { goDurationMs } from '../duration.js';
import type { LoadBalancerReading, ObservabilityReading, UpstreamQuery, UpstreamReading } from '../upstream.js';
import { ENVOY_OUTLIER_DEFAULTS } from '../upstream.js';
import { endpointsOf, selects, workloadOf } from '../workloads.js';
import { qualify } from './hosts.js';

const ROOT_NAMESPACE = 'istio-system';

type TrafficPolicy = {
  connectionPool?: {
    tcp?: { connectTimeout?: string; maxConnections?: number };
    http?: { http1MaxPendingRequests?: number; http2MaxRequests?: number; maxRequestsPerConnection?: number; idleTimeout?: string };
  };
  outlierDetection?: { consecutive5xxErrors?: number; interval?: string; baseEjectionTime?: string; maxEjectionPercent?: number };
  loadBalancer?: {
    simple?: string;
    consistentHash?: { httpHeaderName?: string; httpCookie?: { name: string }; useSourceIp?: boolean };
    localityLbSetting?: { enabled?: boolean };
  };
  retryBudget?: { percent?: number; minRetryConcurrency?: number };
};
type Subset = { name: string; labels?: Record<string, string>; trafficPolicy?: TrafficPolicy };

/**
 * The DestinationRule that applies to a caller's traffic to a host: Istio looks in the caller's
 * namespace, then the host's service namespace, then the root namespace (DestinationRule docs,
 * "host" and exportTo). Two rules for one host in one namespace are not merged here: reported.
 */
function destinationRuleFor(state: AppliedState, q: UpstreamQuery): Manifest | undefined {
  const fqdn = qualify(q.service, q.namespace);
  const rules = state
    .list('DestinationRule', { group: 'networking.istio.io' })
    .filter((dr) => qualify((dr.spec as { host: string }).host, namespaceOfObject(dr)) === fqdn);
  for (const ns of [q.caller.namespace, q.namespace, ROOT_NAMESPACE]) {
    const here = rules.filter((dr) => namespaceOfObject(dr) === ns);
    if (here.length > 1) throw new Error(`${here.length} DestinationRules for ${fqdn} in ${ns}`);
    if (here[0]) return here[0];
  }
  return undefined;
}

/** The subset whose labels pick exactly the pods of the version (among the service's endpoints). */
function subsetOf(rule: Manifest, state: AppliedState, q: UpstreamQuery): Subset | undefined {
  const pods = endpointsOf(state, q.namespace, q.service);
  const ofVersion = (p: Manifest) => workloadOf(p).version === q.version;
  return ((rule.spec as { subsets?: Subset[] }).subsets ?? []).find((s) => {
    const picked = pods.filter((p) => selects(s.labels, p.metadata.labels));
    return picked.length > 0 && picked.every(ofVersion) && pods.filter(ofVersion).length === picked.length;
  });
}

function loadBalancerOf(lb: NonNullable<TrafficPolicy['loadBalancer']>): LoadBalancerReading | undefined {
  const h = lb.consistentHash;
  if (h) {
    return {
      algorithm: 'consistent-hash',
      ...(h.httpHeaderName !== undefined && { header: h.httpHeaderName }),
      ...(h.httpCookie !== undefined && { cookie: h.httpCookie.name }),
      ...(h.useSourceIp !== undefined && { sourceIP: h.useSourceIp }),
    };
  }
  const simple: Record<string, LoadBalancerReading['algorithm']> = {
    ROUND_ROBIN: 'round-robin',
    LEAST_REQUEST: 'least-request',
    LEAST_CONN: 'least-request',
    RANDOM: 'random',
  };
  const algorithm = lb.simple === undefined ? undefined : simple[lb.simple];
  return algorithm === undefined || algorithm === 'consistent-hash' ? undefined : { algorithm };
}

function readPolicy(p: TrafficPolicy): UpstreamReading {
  const tcp = p.connectionPool?.tcp ?? {};
  const http = p.connectionPool?.http ?? {};
  const od = p.outlierDetection;
  const lb = p.loadBalancer;
  const ms = (d: string | undefined) => (d === undefined ? undefined : goDurationMs(d));
  const consecutive5xx = od?.consecutive5xxErrors ?? ENVOY_OUTLIER_DEFAULTS.consecutive5xx;
  return {
    connectTimeoutMs: ms(tcp.connectTimeout),
    idleTimeoutMs: ms(http.idleTimeout),
    maxConnections: tcp.maxConnections,
    maxPendingRequests: http.http1MaxPendingRequests,
    maxRequests: http.http2MaxRequests,
    maxRequestsPerConnection: http.maxRequestsPerConnection,
    outlier: od && {
      consecutive5xx,
      intervalMs: ms(od.interval) ?? ENVOY_OUTLIER_DEFAULTS.intervalMs,
      baseEjectionMs: ms(od.baseEjectionTime) ?? ENVOY_OUTLIER_DEFAULTS.baseEjectionMs,
      maxEjectionPercent: od.maxEjectionPercent ?? ENVOY_OUTLIER_DEFAULTS.maxEjectionPercent,
      // Istio writes enforcing_consecutive_5xx 100 when the count is set, 0 (off) for 0.
      enforcingPercent: consecutive5xx > 0 ? 100 : 0,
    },
    loadBalancer: lb && loadBalancerOf(lb),
    // Istio's locality failover acts only together with outlier detection (DestinationRule docs, localityLbSetting).
    localityFailover: lb?.localityLbSetting === undefined ? undefined : lb.localityLbSetting.enabled === true && od !== undefined,
    retryBudget: p.retryBudget && {
      kind: 'concurrency',
      // Envoy's RetryBudget defaults: budget_percent 20 %, min_retry_concurrency 3.
      percent: p.retryBudget.percent ?? 20,
      minConcurrency: p.retryBudget.minRetryConcurrency ?? 3,
    },
  };
}

/**
 * What a caller's sidecar applies to connections to a service or one version: the host's
 * DestinationRule trafficPolicy, with a subset's trafficPolicy replacing each top-level group it
 * sets (connectionPool, outlierDetection, loadBalancer, retryBudget), as istiod merges them.
 */
export function istioUpstream(state: AppliedState, q: UpstreamQuery): UpstreamReading {
  const rule = destinationRuleFor(state, q);
  if (rule === undefined) return {};
  const top = (rule.spec as { trafficPolicy?: TrafficPolicy }).trafficPolicy ?? {};
  const subset = q.version === undefined ? undefined : subsetOf(rule, state, q);
  return readPolicy({ ...top, ...(subset?.trafficPolicy ?? {}) });
}

type Telemetry = {
  selector?: unknown;
  metrics?: { overrides?: { disabled?: boolean; match?: { metric?: string } }[] }[];
  tracing?: { randomSamplingPercentage?: number }[];
  accessLogging?: { disabled?: boolean; providers?: { name: string }[] }[];
};

/**
 * Mesh-wide telemetry from the root namespace's selector-less Telemetry: metrics are on unless an
 * override disables every metric; the `envoy` access-log provider writes the install's encoding
 * (meshConfig accessLogEncoding, TEXT by default); no access-logging entry: off (default profile).
 */
export function istioObservability(state: AppliedState): ObservabilityReading {
  const roots = state
    .list('Telemetry', { group: 'telemetry.istio.io', namespace: ROOT_NAMESPACE })
    .filter((t) => (t.spec as Telemetry).selector === undefined);
  if (roots.length > 1) throw new Error(`${roots.length} mesh-wide Telemetry objects`);
  const t = (roots[0]?.spec ?? {}) as Telemetry;
  const metricsOff = (t.metrics ?? []).some((m) =>
    (m.overrides ?? []).some((o) => o.disabled === true && (o.match?.metric ?? 'ALL_METRICS') === 'ALL_METRICS'),
  );
  const log = t.accessLogging?.[0];
  const enabled = log !== undefined && log.disabled !== true && (log.providers ?? []).length > 0;
  const builtIn = log?.providers?.every((p) => p.name === 'envoy') === true;
  return {
    metrics: !metricsOff,
    tracingSamplingPercent: t.tracing?.[0]?.randomSamplingPercentage,
    accessLogs: enabled ? { enabled, ...(builtIn && { format: 'text' as const }) } : { enabled: false },
  };
}
