import type { InstanceInfo } from '../protocol/types.js';
import { PrometheusMetricsProvider, SidecarMetricsProvider } from './metrics/index.js';
import type { MetricsProviderFactory } from './types.js';

/**
 * Each rollout's provider: the Prometheus server its `analysis.provider.prometheus` names, else
 * the sidecars' own metrics (every sidecar registered now, scraped at the start and end of a window).
 */
export function defaultMetricsFactory(instances: () => readonly InstanceInfo[]): MetricsProviderFactory {
  const sidecars = new SidecarMetricsProvider(instances);
  return (rollout) => {
    const provider = rollout.spec.analysis?.provider;
    if (provider && 'prometheus' in provider) {
      return new PrometheusMetricsProvider({ address: provider.prometheus.address, metrics: rollout.spec.analysis?.metrics ?? [] });
    }
    return sidecars;
  };
}
