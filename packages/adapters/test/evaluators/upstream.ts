import type { AppliedState } from './applied-state.js';

/**
 * What a caller's sidecar applies to its connections to one service (optionally the pods of one
 * version), read from what a mesh holds, in neutral units (milliseconds, counts, percentages).
 * `undefined`: nothing configured, the mesh's own default applies.
 */
export interface UpstreamReading {
  readonly connectTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxRequests?: number;
  readonly maxRequestsPerConnection?: number;
  readonly outlier?: OutlierReading;
  readonly loadBalancer?: LoadBalancerReading;
  /** Whether instances in the caller's locality are preferred while they are healthy. */
  readonly localityFailover?: boolean;
  readonly retryBudget?: RetryBudgetReading;
}

/** Consecutive-5xx ejection: Envoy's outlier detection as each mesh configures it (Envoy's defaults fill the gaps). */
export interface OutlierReading {
  readonly consecutive5xx: number;
  readonly intervalMs: number;
  readonly baseEjectionMs: number;
  readonly maxEjectionPercent: number;
  /** Share of detected outliers actually ejected (Envoy's enforcing_consecutive_5xx); 100 ejects every one. */
  readonly enforcingPercent: number;
}

export type LoadBalancerReading =
  | { readonly algorithm: 'round-robin' | 'least-request' | 'random' | 'peak-ewma' }
  | { readonly algorithm: 'consistent-hash'; readonly header?: string; readonly cookie?: string; readonly sourceIP?: boolean };

/** A ratio budget (retries per request over a window, with a floor per second) or a concurrency budget (Envoy's). */
export type RetryBudgetReading =
  | { readonly kind: 'ratio'; readonly percent: number; readonly minRetriesPerSecond: number; readonly windowMs: number }
  | { readonly kind: 'concurrency'; readonly percent: number; readonly minConcurrency: number };

/** A caller of a service (or of the pods of one of its versions). */
export interface UpstreamQuery {
  readonly caller: { readonly namespace: string; readonly service: string };
  readonly namespace: string;
  readonly service: string;
  readonly version?: string;
}

export type UpstreamEvaluator = (state: AppliedState, query: UpstreamQuery) => UpstreamReading;

/** Envoy's outlier-detection defaults (config.cluster.v3.OutlierDetection): what an unset field means. */
export const ENVOY_OUTLIER_DEFAULTS: OutlierReading = {
  consecutive5xx: 5,
  intervalMs: 10_000,
  baseEjectionMs: 30_000,
  maxEjectionPercent: 10,
  enforcingPercent: 100,
};

/** Mesh-wide telemetry as the mesh holds it: whether metrics are exported, the trace sampling rate, access logs. */
export interface ObservabilityReading {
  readonly metrics: boolean;
  /** Percent of requests a proxy starts a trace for; undefined: the mesh has no rate of its own (or its install default). */
  readonly tracingSamplingPercent?: number;
  readonly accessLogs: { readonly enabled: boolean; readonly format?: 'text' | 'json' };
}

export type ObservabilityEvaluator = (state: AppliedState, namespace: string, service: string) => ObservabilityReading;
