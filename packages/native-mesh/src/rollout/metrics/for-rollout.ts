import type { Analysis } from '@anymesh/core';
import type { InstanceInfo } from '../../protocol/types.js';
import { PrometheusMetricsProvider } from './prometheus-provider.js';
import type { MetricsProvider } from './provider.js';
import { SidecarMetricsProvider } from './sidecar-provider.js';

/** The provider a rollout's `analysis.provider` names: Prometheus when it says so, the sidecars' own metrics otherwise. */
export function metricsProviderFor(analysis: Analysis | undefined, instances: () => readonly InstanceInfo[]): MetricsProvider {
  const provider = analysis?.provider;
  if (provider !== undefined && 'prometheus' in provider)
    return new PrometheusMetricsProvider({ address: provider.prometheus.address, metrics: analysis?.metrics ?? [] });
  return new SidecarMetricsProvider(instances);
}
