import { DEFAULTS, durationMs, namespaceOf, type LoadedObject, type TrafficPolicy } from '@anymesh/core';
import type { ConsulContext } from './context.js';
import type { UpstreamOverrideSpec } from './consul-types.js';

/**
 * The `upstreamConfig.overrides` entry protecting one destination, or undefined when its policy has
 * neither limits nor outlier detection. It belongs in every CALLER's ServiceDefaults (see serviceDefaults).
 */
export function upstreamOverride(ctx: ConsulContext, loaded: LoadedObject<TrafficPolicy>): UpstreamOverrideSpec | undefined {
  const p = loaded.object.spec;
  const cb = p.circuitBreaker;
  const od = p.outlierDetection;
  if (cb === undefined && od === undefined) return undefined;
  const override: UpstreamOverrideSpec = { name: p.target.service };
  if (cb !== undefined) {
    const limits = { maxConnections: cb.maxConnections, maxPendingRequests: cb.maxPendingRequests, maxConcurrentRequests: cb.maxRequests };
    if (Object.values(limits).some((v) => v !== undefined)) override.limits = limits;
    if (cb.maxRequestsPerConnection !== undefined) {
      ctx.gaps.unsupported(
        loaded,
        ['spec', 'circuitBreaker', 'maxRequestsPerConnection'],
        'circuitBreaker',
        'upstream limits have no max requests per connection',
      );
    }
  }
  if (od !== undefined) {
    const maxFailures = od.consecutive5xx ?? DEFAULTS.outlierConsecutive5xx;
    const percent = od.maxEjectionPercent ?? DEFAULTS.outlierMaxEjectionPercent;
    if (!Number.isInteger(percent)) {
      ctx.gaps.approximated(
        loaded,
        ['spec', 'outlierDetection', 'maxEjectionPercent'],
        'outlierDetection',
        `maxEjectionPercent is an integer in Consul: ${percent} becomes ${Math.round(percent)}`,
      );
    }
    if (od.consecutiveGatewayErrors !== undefined) {
      ctx.gaps.unsupported(
        loaded,
        ['spec', 'outlierDetection', 'consecutiveGatewayErrors'],
        'outlierDetection',
        'passiveHealthCheck counts consecutive 5xx only (maxFailures); gateway errors cannot be counted separately',
      );
    }
    override.passiveHealthCheck = {
      interval: od.interval ?? DEFAULTS.outlierInterval,
      // maxFailures 0 would read as "unset" (Envoy's 5): disable by not enforcing instead.
      maxFailures: Math.max(maxFailures, 1),
      enforcingConsecutive5xx: maxFailures === 0 ? 0 : 100,
      maxEjectionPercent: Math.round(percent),
      baseEjectionTime: od.baseEjectionTime ?? DEFAULTS.outlierBaseEjectionTime,
    };
    if (durationMs(override.passiveHealthCheck.interval) === 0) {
      ctx.gaps.approximated(
        loaded,
        ['spec', 'outlierDetection', 'interval'],
        'outlierDetection',
        'an interval of 0 reads as unset in Consul (10s)',
      );
    }
  }
  return override;
}

/** Cross-namespace upstreams name their namespace (Consul Enterprise namespaces mirroring Kubernetes ones). */
export function withNamespace(override: UpstreamOverrideSpec, destinationNs: string, callerNs: string): UpstreamOverrideSpec {
  return destinationNs === callerNs ? override : { ...override, namespace: destinationNs };
}

export { namespaceOf };
