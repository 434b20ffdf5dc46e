import type { AppliedState } from '../applied-state.js';
import type { ObservabilityReading, UpstreamQuery, UpstreamReading } from '../upstream.js';
import { endpointsOf } from '../workloads.js';

/**
 * What a Linkerd proxy applies to connections to a service: it always balances by peak-EWMA
 * latency; connect timeouts are proxy-wide install/pod settings, and there are no connection or
 * request limits, no retry budget outside ServiceProfiles and no locality failover inside a
 * cluster. Failure accrual is read from the Service's balancer.linkerd.io annotations, here only
 * whether it is on (its parameters are not the neutral outlier detection's).
 */
export function linkerdUpstream(state: AppliedState, q: UpstreamQuery): UpstreamReading {
  const svc = state.get('Service', q.namespace, q.service, '');
  if (svc?.metadata.annotations?.['balancer.linkerd.io/failure-accrual'] === 'consecutive') {
    throw new Error(`${q.namespace}/${q.service} has failure accrual: read its parameters before comparing`);
  }
  return { loadBalancer: { algorithm: 'peak-ewma' } };
}

/**
 * Linkerd telemetry: proxies always serve metrics (:4191); there is no sampling rate (the caller's
 * sampled flag decides); access logs come from config.linkerd.io/access-log on the pods or their
 * Namespace (`apache`: text, `json`).
 */
export function linkerdObservability(state: AppliedState, namespace: string, service: string): ObservabilityReading {
  const KEY = 'config.linkerd.io/access-log';
  // A Namespace is cluster-scoped: stored without a namespace, i.e. under `default`.
  const ns = state.get('Namespace', 'default', namespace, '');
  const values = endpointsOf(state, namespace, service).map((p) => p.metadata.annotations?.[KEY] ?? ns?.metadata.annotations?.[KEY]);
  const value = values[0];
  if (values.some((v) => v !== value)) throw new Error(`pods of ${namespace}/${service} log differently`);
  return {
    metrics: true,
    accessLogs:
      value === 'apache' ? { enabled: true, format: 'text' } : value === 'json' ? { enabled: true, format: 'json' } : { enabled: false },
  };
}
