import { expect } from 'vitest';
import type { FeatureName, PolicySet } from '@anymesh/core';
import type { Adapter, MeshName, Translation } from '../../src/index.js';
import {
  consulObservability,
  consulUpstream,
  istioObservability,
  istioUpstream,
  linkerdObservability,
  linkerdUpstream,
  meshState,
  type ObservabilityReading,
  type UpstreamReading,
} from '../evaluators/index.js';
import type { AppliedState } from '../evaluators/index.js';

/**
 * A setting the case states, and where a mesh cannot express it exactly, what that mesh does
 * instead. A stated gap must come with an AM4001/AM4002 for the setting's feature and must be what
 * the mesh really reads; a gap stated for a setting the mesh expresses exactly fails too (stale).
 */
export interface WithGaps<T> {
  readonly want: T;
  readonly gaps?: Partial<Record<MeshName, T>>;
}

/** What a caller (`client` v1) of `web` meets on its connections, per target: `''` for the service, or a version. */
export type UpstreamExpectation = WithGaps<Readonly<Record<string, Partial<UpstreamReading>>>>;

/** The mesh-wide telemetry the case's Mesh asks for. */
export type ObservabilityExpectation = WithGaps<Partial<ObservabilityReading>>;

type UpstreamKey = keyof UpstreamReading;

const UPSTREAM_FEATURE: Record<UpstreamKey, (want: unknown) => FeatureName> = {
  connectTimeoutMs: () => 'timeout.connect',
  idleTimeoutMs: () => 'timeout.idle',
  maxConnections: () => 'circuitBreaker',
  maxPendingRequests: () => 'circuitBreaker',
  maxRequests: () => 'circuitBreaker',
  maxRequestsPerConnection: () => 'circuitBreaker',
  outlier: () => 'outlierDetection',
  loadBalancer: (want) =>
    (want as { algorithm?: string } | undefined)?.algorithm === 'consistent-hash'
      ? 'loadBalancer.consistentHash'
      : 'loadBalancer.algorithm',
  localityFailover: () => 'failover.locality',
  retryBudget: () => 'retry.budget',
};

const OBSERVABILITY_FEATURE: Record<keyof ObservabilityReading, FeatureName> = {
  metrics: 'observability.metrics',
  tracingSamplingPercent: 'observability.tracing',
  accessLogs: 'observability.accessLogs',
};

const UPSTREAM: Record<MeshName, typeof istioUpstream> = { istio: istioUpstream, consul: consulUpstream, linkerd: linkerdUpstream };
const OBSERVABILITY: Record<MeshName, (state: AppliedState) => ObservabilityReading> = {
  istio: istioObservability,
  consul: consulObservability,
  linkerd: (state) => linkerdObservability(state, 'shop', 'web'),
};

function compareField(
  t: Translation,
  mesh: MeshName,
  label: string,
  feature: FeatureName,
  got: unknown,
  want: unknown,
  gap: { value: unknown } | undefined,
): void {
  if (gap === undefined) {
    expect(got, label).toEqual(want);
    return;
  }
  const reported = t.diagnostics.some((d) => (d.code === 'AM4001' || d.code === 'AM4002') && d.feature === feature);
  expect(reported, `${mesh} reports ${feature} unsupported or approximated (${label})`).toBe(true);
  expect(got, `${label}: what ${mesh} does instead`).toEqual(gap.value);
  expect(got, `${label}: a gap is stated for ${mesh}, but it reads exactly the neutral value`).not.toEqual(want);
}

function gapOf<T extends object>(gaps: T | undefined, key: PropertyKey): { value: unknown } | undefined {
  return gaps !== undefined && Object.hasOwn(gaps, key) ? { value: (gaps as Record<PropertyKey, unknown>)[key] } : undefined;
}

/** Asserts, through the mesh's reading of its applied output, what `client` v1's connections to `web` (or one version) get. */
export function expectUpstream(t: Translation, adapter: Adapter, set: PolicySet, c: UpstreamExpectation): void {
  const state = meshState(set, t.manifests);
  for (const [version, want] of Object.entries(c.want)) {
    const got = UPSTREAM[adapter.name](state, {
      caller: { namespace: 'shop', service: 'client' },
      namespace: 'shop',
      service: 'web',
      ...(version === '' ? {} : { version }),
    });
    const gaps = c.gaps?.[adapter.name]?.[version];
    for (const key of Object.keys(want) as UpstreamKey[]) {
      const label = `client → web${version ? ` ${version}` : ''}: ${key}`;
      compareField(t, adapter.name, label, UPSTREAM_FEATURE[key](want[key]), got[key], want[key], gapOf(gaps, key));
    }
  }
}

/** Asserts, through the mesh's reading of its applied output, the mesh-wide metrics, trace sampling and access logs. */
export function expectObservability(t: Translation, adapter: Adapter, set: PolicySet, c: ObservabilityExpectation): void {
  const got = OBSERVABILITY[adapter.name](meshState(set, t.manifests));
  const gaps = c.gaps?.[adapter.name];
  for (const key of Object.keys(c.want) as (keyof ObservabilityReading)[]) {
    compareField(t, adapter.name, `observability: ${key}`, OBSERVABILITY_FEATURE[key], got[key], c.want[key], gapOf(gaps, key));
  }
}
