import { durationMs, namespaceOf, type LoadedObject, type TrafficPolicy } from '@anymesh/core';
import type { LinkerdContext } from './context.js';
import { gatewayDuration } from './gateway-duration.js';
import { reportRetryGaps } from './retries.js';

/** Linkerd's failure accrual backoff ceiling (`failure-accrual-consecutive-max-penalty` default). */
const DEFAULT_MAX_PENALTY_MS = 60_000;

function outlierAnnotations(policy: TrafficPolicy): Record<string, string> {
  const od = policy.spec.outlierDetection!;
  const failures = od.consecutiveGatewayErrors ?? od.consecutive5xx ?? 5;
  const out: Record<string, string> = {
    'balancer.linkerd.io/failure-accrual': 'consecutive',
    'balancer.linkerd.io/failure-accrual-consecutive-max-failures': String(failures),
  };
  if (od.baseEjectionTime !== undefined) {
    out['balancer.linkerd.io/failure-accrual-consecutive-min-penalty'] = gatewayDuration(od.baseEjectionTime);
    if (durationMs(od.baseEjectionTime) > DEFAULT_MAX_PENALTY_MS) {
      out['balancer.linkerd.io/failure-accrual-consecutive-max-penalty'] = gatewayDuration(od.baseEjectionTime);
    }
  }
  return out;
}

/** Outlier detection: Linkerd's failure accrual, read from annotations on the Service clients address. */
function reportOutlier(ctx: LinkerdContext, loaded: LoadedObject<TrafficPolicy>): void {
  const p = loaded.object;
  const at = ['spec', 'outlierDetection'];
  if (p.spec.target.version !== undefined) {
    ctx.gaps.unsupported(
      loaded,
      at,
      'outlierDetection',
      'failure accrual is configured per addressed Service, not per version; nothing is emitted',
    );
    return;
  }
  const od = p.spec.outlierDetection!;
  if (od.consecutive5xx === 0 && od.consecutiveGatewayErrors === undefined) return;
  const annotations = Object.entries(outlierAnnotations(p));
  const command = `kubectl annotate service/${p.spec.target.service} -n ${namespaceOf(p)} ${annotations.map(([k, v]) => `${k}=${v}`).join(' ')}`;
  const lost = [
    od.interval !== undefined ? 'interval' : undefined,
    od.maxEjectionPercent !== undefined ? 'maxEjectionPercent' : undefined,
    od.consecutiveGatewayErrors !== undefined ? 'the 502/503/504-only count (Linkerd counts every failure)' : undefined,
  ].filter((x) => x !== undefined);
  ctx.gaps.unsupported(
    loaded,
    at,
    'outlierDetection',
    `Linkerd's consecutive failure accrual reads annotations on the Service itself, which anymesh does not own: writing it would overwrite the user's Service, and a managed-by label on it would let pruning delete it; nothing is emitted. The nearest equivalent, to set by hand: ${command}. baseEjectionTime becomes the first probe backoff (min-penalty), growing exponentially${lost.length > 0 ? `; no equivalent for ${lost.join(', ')}` : ''}`,
  );
}

/** Everything a TrafficPolicy asks for that the routes do not carry, reported field by field. */
export function reportTrafficPolicy(ctx: LinkerdContext, loaded: LoadedObject<TrafficPolicy>): void {
  const s = loaded.object.spec;
  const version = s.target.version;
  const perVersion = (field: string) =>
    `Linkerd configures ${field} per addressed Service or route, not per backend version; nothing is emitted`;
  if (s.connectTimeout) {
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'connectTimeout'],
      'timeout.connect',
      "Linkerd's connect timeout is proxy-wide (the callers' config.linkerd.io/proxy-outbound-connect-timeout pod annotation), not per destination; nothing is emitted",
    );
  }
  if (s.idleTimeout) {
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'idleTimeout'],
      'timeout.idle',
      'timeout.linkerd.io/idle bounds idle streams, not idle upstream connections; nothing is emitted',
    );
  }
  if (s.requestTimeout && version !== undefined)
    ctx.gaps.unsupported(loaded, ['spec', 'requestTimeout'], 'timeout.request', perVersion('timeouts'));
  if (s.retries) {
    if (version !== undefined) ctx.gaps.unsupported(loaded, ['spec', 'retries'], 'retry.attempts', perVersion('retries'));
    else reportRetryGaps(ctx, loaded, s.retries, ['spec', 'retries']);
  }
  if (s.retryBudget) {
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'retryBudget'],
      'retry.budget',
      "only a ServiceProfile (spec.retryBudget) carries a retry budget, and a ServiceProfile makes Linkerd ignore the HTTPRoute retry and timeout annotations this translation relies on; nothing is emitted (Linkerd's annotation retries have no budget)",
    );
  }
  if (s.circuitBreaker) {
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'circuitBreaker'],
      'circuitBreaker',
      'Linkerd has no connection, pending or concurrent request limits; nothing is emitted',
    );
  }
  if (s.outlierDetection) reportOutlier(ctx, loaded);
  const lb = s.loadBalancer;
  if (lb?.algorithm === 'least-request') {
    ctx.gaps.approximated(
      loaded,
      ['spec', 'loadBalancer'],
      'loadBalancer.algorithm',
      'Linkerd always balances by peak-EWMA latency with power-of-two choices, which also favours less loaded instances; nothing is emitted',
    );
  } else if (lb) {
    const feature = lb.algorithm === 'consistent-hash' ? 'loadBalancer.consistentHash' : 'loadBalancer.algorithm';
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'loadBalancer'],
      feature,
      `Linkerd always balances by peak-EWMA latency; ${lb.algorithm} cannot be chosen`,
    );
  }
  if (s.failover) {
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'failover'],
      'failover.locality',
      'Linkerd has no locality-aware failover inside a cluster (linkerd-failover switches whole Services by readiness); nothing is emitted',
    );
  }
}
