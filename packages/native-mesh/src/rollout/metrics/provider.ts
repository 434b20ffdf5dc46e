import type { MetricSample, VersionRef } from '@anymesh/core';

/**
 * Measures one version of a service over a window of time: what the rollout controller asks at
 * the start and at the end of every analysis interval.
 */
export interface MetricsProvider {
  /** Starts an analysis window for `target` now (sidecars: snapshot the counters; Prometheus: remember the time). */
  startWindow(target: VersionRef): Promise<AnalysisWindow>;
}

export interface AnalysisWindow {
  /**
   * What `target` did from startWindow until now. Rejects with a {@link MetricsError} when it
   * cannot say (the planner records that interval as "no data").
   */
  finish(): Promise<WindowSample>;
}

/** An instance whose counters are not in a window's figures, and why. */
export interface MissingInstance {
  readonly instance: string;
  readonly address: string;
  readonly reason: string;
}

/** A {@link MetricSample} with what it is based on: the window's length and the instances it could not read. */
export interface WindowSample extends MetricSample {
  readonly seconds: number;
  /** Instances left out (sidecar provider): unreachable, or gone during the window. Their requests are not counted. */
  readonly missing: readonly MissingInstance[];
}
