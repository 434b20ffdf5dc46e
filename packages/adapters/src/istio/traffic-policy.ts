import { DEFAULTS, type LoadedObject, type Service, type TrafficPolicy, type TrafficPolicySpec } from '@anymesh/core';
import type { IstioContext } from './context.js';

const LB_SIMPLE = { 'round-robin': 'ROUND_ROBIN', 'least-request': 'LEAST_REQUEST', random: 'RANDOM' } as const;

function connectionPool(s: TrafficPolicySpec) {
  const cb = s.circuitBreaker;
  const tcp = { connectTimeout: s.connectTimeout, maxConnections: cb?.maxConnections };
  const http = {
    idleTimeout: s.idleTimeout,
    http1MaxPendingRequests: cb?.maxPendingRequests,
    // Despite the name, http2MaxRequests caps concurrent requests for HTTP/1.1 and HTTP/2 alike.
    http2MaxRequests: cb?.maxRequests,
    maxRequestsPerConnection: cb?.maxRequestsPerConnection,
  };
  const some = (o: object) => (Object.values(o).some((v) => v !== undefined) ? o : undefined);
  return some({ tcp: some(tcp), http: some(http) });
}

function outlierDetection(ctx: IstioContext, loaded: LoadedObject<TrafficPolicy>) {
  const o = loaded.object.spec.outlierDetection;
  if (!o) return undefined;
  const maxEjectionPercent = o.maxEjectionPercent ?? DEFAULTS.outlierMaxEjectionPercent;
  if (!Number.isInteger(maxEjectionPercent)) {
    ctx.gaps.approximated(
      loaded,
      ['spec', 'outlierDetection', 'maxEjectionPercent'],
      'outlierDetection',
      `Istio's maxEjectionPercent is a whole percent; ${maxEjectionPercent} is written as ${Math.floor(maxEjectionPercent)} (rounded down, ejecting no more than asked)`,
    );
  }
  // Every field explicit: Istio's defaults happen to equal ours today, but the output should not depend on it.
  return {
    consecutive5xxErrors: o.consecutive5xx ?? DEFAULTS.outlierConsecutive5xx,
    consecutiveGatewayErrors: o.consecutiveGatewayErrors,
    interval: o.interval ?? DEFAULTS.outlierInterval,
    baseEjectionTime: o.baseEjectionTime ?? DEFAULTS.outlierBaseEjectionTime,
    maxEjectionPercent: Math.floor(maxEjectionPercent),
  };
}

function loadBalancer(s: TrafficPolicySpec) {
  const lb = s.loadBalancer;
  if (!lb) return undefined;
  if (lb.algorithm !== 'consistent-hash') return { simple: LB_SIMPLE[lb.algorithm] };
  const h = lb.consistentHash;
  if (h === undefined) return { consistentHash: { useSourceIp: true } };
  if ('header' in h) return { consistentHash: { httpHeaderName: h.header.toLowerCase() } };
  if ('cookie' in h) return { consistentHash: { httpCookie: { name: h.cookie.name, ttl: h.cookie.ttl ?? '0s' } } };
  return { consistentHash: { useSourceIp: true } };
}

function retryBudget(ctx: IstioContext, loaded: LoadedObject<TrafficPolicy>) {
  const b = loaded.object.spec.retryBudget;
  if (!b) return undefined;
  const percent = b.percent ?? DEFAULTS.retryBudgetPercent;
  const minRetryConcurrency = b.minRetriesPerSecond ?? DEFAULTS.retryBudgetMinPerSecond;
  ctx.gaps.approximated(
    loaded,
    ['spec', 'retryBudget'],
    'retry.budget',
    `Istio (≥ 1.27, DestinationRule trafficPolicy.retryBudget) caps *concurrent* retries at ${percent}% of active plus pending requests, ` +
      `with a floor of ${minRetryConcurrency} concurrent retries; the neutral budget is a ratio of retries to requests over ` +
      `${b.window ?? DEFAULTS.retryBudgetWindow} with ${minRetryConcurrency} retries per second always allowed`,
  );
  return { percent, minRetryConcurrency };
}

/** A neutral TrafficPolicy → Istio `trafficPolicy` (connection pool, outlier detection, load balancer, retry budget). */
export function istioTrafficPolicy(
  ctx: IstioContext,
  loaded: LoadedObject<TrafficPolicy>,
  service: Service,
): Record<string, unknown> | undefined {
  const s = loaded.object.spec;
  const lb = loadBalancer(s);
  let od = outlierDetection(ctx, loaded);
  let locality: Record<string, unknown> | undefined;
  if (s.failover) {
    locality = localityLbSetting(ctx, loaded, service);
    if (s.loadBalancer?.algorithm === 'consistent-hash') {
      ctx.gaps.approximated(
        loaded,
        ['spec', 'loadBalancer'],
        'failover.locality',
        'Istio documents that consistent hashing with locality load balancing only works when all callers are in the same locality',
      );
    }
    if (!od) {
      od = {
        consecutive5xxErrors: DEFAULTS.outlierConsecutive5xx,
        consecutiveGatewayErrors: undefined,
        interval: DEFAULTS.outlierInterval,
        baseEjectionTime: DEFAULTS.outlierBaseEjectionTime,
        maxEjectionPercent: DEFAULTS.outlierMaxEjectionPercent,
      };
      ctx.gaps.approximated(
        loaded,
        ['spec', 'failover'],
        'failover.locality',
        'Istio locality failover takes effect only with outlier detection; outlierDetection with the neutral defaults ' +
          '(consecutive5xx 5, interval 10s, baseEjectionTime 30s, maxEjectionPercent 10) was added, so failing instances are also ejected',
      );
    }
  }
  const policy = {
    connectionPool: connectionPool(s),
    outlierDetection: od,
    loadBalancer: lb || locality ? { ...lb, localityLbSetting: locality } : undefined,
    retryBudget: retryBudget(ctx, loaded),
  };
  return Object.values(policy).some((v) => v !== undefined) ? policy : undefined;
}

function localityLbSetting(ctx: IstioContext, loaded: LoadedObject<TrafficPolicy>, _service: Service): Record<string, unknown> {
  const f = loaded.object.spec.failover!;
  if ((f.mode ?? 'nearest') === 'nearest') return { enabled: true };
  const regions = [...new Set((f.order ?? []).map((l) => l.region))];
  const failover = regions.slice(0, -1).map((from, i) => ({ from, to: regions[i + 1]! }));
  ctx.gaps.approximated(
    loaded,
    ['spec', 'failover', 'order'],
    'failover.locality',
    'Istio prefers localities by proximity to the caller (zone, then region) and fails over between regions with ' +
      `localityLbSetting.failover (${failover.map((p) => `${p.from}→${p.to}`).join(', ') || 'none: one region'}); ` +
      'the order is not absolute for callers outside the first locality, and zones within a region are not ranked',
  );
  return { enabled: true, failover: failover.length ? failover : undefined };
}
