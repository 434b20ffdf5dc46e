import type { MetricSample, Rollout, RolloutEvent, TrafficPlan, VersionRef } from '@anymesh/core';

/**
 * The three things a rollout driver needs from the mesh it drives; the controller loop
 * (controller.ts) knows nothing else about it, so a cluster driver reuses the loop with its own.
 */

/** Puts a rollout's traffic plan in force. Resolves once it is (for the native mesh: persisted and published). */
export interface TrafficActuator {
  apply(rollout: Rollout, traffic: TrafficPlan): Promise<void>;
  /** The rollout no longer drives its service (removed from the policies): the authored route is in force again. */
  release(rollout: Rollout): Promise<void>;
}

/** One measurement window of one version; `finish` ends it with what that version did meanwhile. */
export interface MetricsWindow {
  finish(): Promise<MetricSample>;
}

/**
 * Measures versions over windows (the sidecars' own metrics, or a Prometheus server): the shape of
 * rollout-metrics' `MetricsProvider` (metrics/provider.ts), which the controller accepts as is.
 */
export interface MetricsProvider {
  /** Starts a window now; rejects when it cannot (the interval is then "no data"). */
  startWindow(target: VersionRef): Promise<MetricsWindow>;
}

/** Picks the provider of a rollout (`analysis.provider`: sidecars by default, Prometheus when asked). */
export type MetricsProviderFactory = (rollout: Rollout) => MetricsProvider;

/** Synthetic requests to the rollout's new version while its analysis has no data. */
export interface SyntheticLoadHandle {
  stop(): Promise<void>;
}
export type SyntheticLoadFactory = (rollout: Rollout) => SyntheticLoadHandle;

export interface Clock {
  now(): number;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

export const SYSTEM_CLOCK: Clock = {
  now: Date.now,
  every: (ms, fn) => {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** A rollout transition, as the controller reports it to whoever runs it. */
export interface RolloutTransition {
  readonly namespace: string;
  readonly name: string;
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly event: RolloutEvent;
}

/** Something the controller could not do but went on without (a store write, an actuator call, a webhook). */
export interface RolloutTrouble {
  readonly namespace: string;
  readonly name: string;
  readonly message: string;
}
