import { describe, expect, it } from 'vitest';
import type { Rollout } from '@anymesh/core';
import { PrometheusMetricsProvider, SidecarMetricsProvider } from '../../src/rollout/metrics/index.js';
import { defaultMetricsFactory } from '../../src/rollout/metrics-factory.js';

function rolloutWith(provider: NonNullable<Rollout['spec']['analysis']>['provider']): Rollout {
  return {
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'api-v2', namespace: 'shop' },
    spec: {
      service: 'api',
      from: 'v1',
      to: 'v2',
      strategy: { canary: { steps: [50] } },
      analysis: { metrics: [{ name: 'success-rate', min: 99 }], ...(provider ? { provider } : {}) },
    },
  };
}

describe("the control plane's metrics provider per rollout", () => {
  const factory = defaultMetricsFactory(() => []);

  it('measures with the sidecars by default and when asked for them', () => {
    expect(factory(rolloutWith(undefined))).toBeInstanceOf(SidecarMetricsProvider);
    expect(factory(rolloutWith({ sidecars: {} }))).toBeInstanceOf(SidecarMetricsProvider);
  });

  it('queries the Prometheus server a rollout names', () => {
    expect(factory(rolloutWith({ prometheus: { address: 'http://127.0.0.1:9090' } }))).toBeInstanceOf(PrometheusMetricsProvider);
  });
});
