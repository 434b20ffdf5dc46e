import type { AppliedState } from '../applied-state.js';
import { goDurationMs } from '../duration.js';
import type { LoadBalancerReading, ObservabilityReading, UpstreamQuery, UpstreamReading } from '../upstream.js';
import { ENVOY_OUTLIER_DEFAULTS } from '../upstream.js';

const CONSUL = 'consul.hashicorp.com';

type Limits = { maxConnections?: number; maxPendingRequests?: number; maxConcurrentRequests?: number };
type PassiveHealthCheck = {
  interval?: string;
  maxFailures?: number;
  enforcingConsecutive5xx?: number;
  maxEjectionPercent?: number;
  baseEjectionTime?: string;
};
type UpstreamConfig = { name?: string; limits?: Limits; passiveHealthCheck?: PassiveHealthCheck; connectTimeoutMs?: number };
type Resolver = {
  connectTimeout?: string;
  loadBalancer?: {
    policy?: string;
    hashPolicies?: { field?: string; fieldValue?: string; sourceIP?: boolean }[];
  };
  prioritizeByLocality?: { mode?: string };
};

/**
 * The caller's settings for one upstream: its ServiceDefaults `upstreamConfig.defaults`, with the
 * override naming the upstream taking precedence field group by field group (ServiceDefaults docs).
 */
function callerConfig(state: AppliedState, q: UpstreamQuery): UpstreamConfig {
  const defaults = state.get('ServiceDefaults', q.caller.namespace, q.caller.service, CONSUL);
  const config = (defaults?.spec as { upstreamConfig?: { defaults?: UpstreamConfig; overrides?: UpstreamConfig[] } } | undefined)
    ?.upstreamConfig;
  const override = (config?.overrides ?? []).find((o) => o.name === q.service);
  return { ...(config?.defaults ?? {}), ...(override ?? {}) };
}

function loadBalancerOf(lb: NonNullable<Resolver['loadBalancer']>): LoadBalancerReading | undefined {
  const simple: Record<string, 'round-robin' | 'least-request' | 'random'> = {
    round_robin: 'round-robin',
    least_request: 'least-request',
    random: 'random',
  };
  if (lb.policy !== undefined && simple[lb.policy]) return { algorithm: simple[lb.policy]! };
  if (lb.policy !== 'ring_hash' && lb.policy !== 'maglev') return undefined;
  const h = lb.hashPolicies?.[0];
  return {
    algorithm: 'consistent-hash',
    ...(h?.field === 'header' && { header: h.fieldValue }),
    ...(h?.field === 'cookie' && { cookie: h.fieldValue }),
    ...(h?.sourceIP === true && { sourceIP: true }),
  };
}

/**
 * What a caller's Envoy applies to connections to a service, as Consul configures it: limits and
 * passive health checks from the caller's ServiceDefaults (`maxFailures` is Envoy's consecutive_5xx,
 * `maxConcurrentRequests` its max_requests; unset fields keep Envoy's defaults), connect timeout,
 * load balancer and locality preference from the service's ServiceResolver. A resolver applies to
 * the whole service: every version reads the same. Consul has no upstream idle timeout and no retry
 * budget.
 */
export function consulUpstream(state: AppliedState, q: UpstreamQuery): UpstreamReading {
  const caller = callerConfig(state, q);
  const resolver = (state.get('ServiceResolver', q.namespace, q.service, CONSUL)?.spec ?? {}) as Resolver;
  const phc = caller.passiveHealthCheck;
  const ms = (d: string | undefined) => (d === undefined ? undefined : goDurationMs(d));
  // Which of the two wins when both are set is not modelled here: say so rather than guess.
  if (resolver.connectTimeout !== undefined && caller.connectTimeoutMs !== undefined) {
    throw new Error(`both the resolver of ${q.service} and ${q.caller.service}'s upstream config set a connect timeout`);
  }
  return {
    connectTimeoutMs: ms(resolver.connectTimeout) ?? caller.connectTimeoutMs,
    maxConnections: caller.limits?.maxConnections,
    maxPendingRequests: caller.limits?.maxPendingRequests,
    maxRequests: caller.limits?.maxConcurrentRequests,
    outlier: phc && {
      consecutive5xx: phc.maxFailures ?? ENVOY_OUTLIER_DEFAULTS.consecutive5xx,
      intervalMs: ms(phc.interval) ?? ENVOY_OUTLIER_DEFAULTS.intervalMs,
      baseEjectionMs: ms(phc.baseEjectionTime) ?? ENVOY_OUTLIER_DEFAULTS.baseEjectionMs,
      maxEjectionPercent: phc.maxEjectionPercent ?? ENVOY_OUTLIER_DEFAULTS.maxEjectionPercent,
      enforcingPercent: phc.enforcingConsecutive5xx ?? ENVOY_OUTLIER_DEFAULTS.enforcingPercent,
    },
    loadBalancer: resolver.loadBalancer && loadBalancerOf(resolver.loadBalancer),
    localityFailover: resolver.prioritizeByLocality === undefined ? undefined : resolver.prioritizeByLocality.mode === 'failover',
  };
}

type ProxyDefaults = {
  config?: { envoy_prometheus_bind_addr?: string; envoy_listener_tracing_json?: string };
  accessLogs?: { enabled?: boolean; jsonFormat?: string; textFormat?: string };
};

/**
 * Mesh-wide telemetry from the `global` ProxyDefaults: metrics when Envoy's Prometheus listener is
 * bound, the sampling rate of the listener tracing JSON (Envoy's random_sampling, a percentage),
 * access logs and their format (a text format string, else JSON: a JSON dictionary or Consul's default).
 */
export function consulObservability(state: AppliedState): ObservabilityReading {
  const global = state.list('ProxyDefaults', { group: CONSUL }).filter((p) => p.metadata.name === 'global');
  if (global.length > 1) throw new Error(`${global.length} ProxyDefaults named global`);
  const pd = (global[0]?.spec ?? {}) as ProxyDefaults;
  const tracing = pd.config?.envoy_listener_tracing_json;
  const sampling = tracing === undefined ? undefined : (JSON.parse(tracing) as { random_sampling?: { value?: number } }).random_sampling;
  const logs = pd.accessLogs;
  // Without a format Consul logs its default JSON dictionary (access-logs docs, "Default log format").
  const format = logs?.textFormat !== undefined ? 'text' : 'json';
  return {
    metrics: (pd.config?.envoy_prometheus_bind_addr ?? '') !== '',
    // Envoy: an unset random_sampling samples 100 %.
    tracingSamplingPercent: tracing === undefined ? undefined : (sampling?.value ?? 100),
    accessLogs: logs?.enabled === true ? { enabled: true, format } : { enabled: false },
  };
}
