import type { FeatureName, LoadedObject, TrafficPolicy, TrafficPolicySpec } from '@anymesh/core';
import type { ConsulContext } from './context.js';

const FIELD_FEATURE: Record<Exclude<keyof TrafficPolicySpec, 'target'>, FeatureName> = {
  connectTimeout: 'timeout.connect',
  requestTimeout: 'timeout.request',
  idleTimeout: 'timeout.idle',
  retries: 'retry.attempts',
  retryBudget: 'retry.budget',
  circuitBreaker: 'circuitBreaker',
  outlierDetection: 'outlierDetection',
  loadBalancer: 'loadBalancer.algorithm',
  failover: 'failover.locality',
};

/**
 * TrafficPolicy fields Consul has no place for. A version-targeted policy has none at all:
 * resolvers, upstream limits and routes are per service, and subsets carry only a filter.
 */
export function reportPolicyGaps(ctx: ConsulContext, loaded: LoadedObject<TrafficPolicy>): void {
  const spec = loaded.object.spec;
  if (spec.target.version !== undefined) {
    for (const field of Object.keys(FIELD_FEATURE) as (keyof typeof FIELD_FEATURE)[]) {
      if (spec[field] === undefined) continue;
      const feature =
        field === 'loadBalancer' && spec.loadBalancer?.algorithm === 'consistent-hash'
          ? 'loadBalancer.consistentHash'
          : FIELD_FEATURE[field];
      ctx.gaps.unsupported(
        loaded,
        ['spec', field],
        feature,
        `Consul applies ${field} per service, not per subset (version ${spec.target.version}); left out`,
      );
    }
    return;
  }
  if (spec.idleTimeout !== undefined) {
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'idleTimeout'],
      'timeout.idle',
      "Consul's idleTimeout is a route's stream idle timeout, not an upstream connection idle timeout; left out",
    );
  }
  if (spec.retryBudget !== undefined)
    ctx.gaps.unsupported(loaded, ['spec', 'retryBudget'], 'retry.budget', 'Consul has no retry budget; left out');
}
