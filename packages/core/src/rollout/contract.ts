import type { AbMatch, AnalysisMetric } from '../model/generated.js';

/**
 * The types every rollout driver shares: the pure planner (core), the controller loop with its
 * traffic actuators and metrics providers (native mesh, later a cluster), the CLI and the
 * dashboard. Only types live here, so each side can be built and tested against them alone.
 */

export type MetricName = AnalysisMetric['name'];

/** One version of one service: what a metrics provider measures and a traffic plan moves. */
export interface VersionRef {
  readonly namespace: string;
  readonly service: string;
  readonly version: string;
}

/**
 * What one version did during one analysis window. Latencies in milliseconds, `success-rate` in
 * percent of requests not answered 5xx (or failed without an answer), `request-rate` in req/s.
 * A value is absent when it cannot be computed (e.g. no requests).
 */
export interface MetricSample {
  readonly requests: number;
  readonly values: Readonly<Partial<Record<MetricName, number>>>;
}

/**
 * How the rollout's service must be routed now.
 * - `weights`: percentages of the old (`from`) and new (`to`) version, summing to 100 (canary steps;
 *   also the final states: promoted = 0/100, rolled back or aborted = 100/0).
 * - `cohort`: A/B; requests matching any of `matches` go to the new version, all others to the old.
 * - `preview`: blue/green analysis; requests with `header: true` go to the new version, all others to
 *   the old, and with `mirror` the old version's traffic is also mirrored to the new one.
 */
export type TrafficPlan =
  | { readonly kind: 'weights'; readonly from: number; readonly to: number }
  | { readonly kind: 'cohort'; readonly matches: readonly AbMatch[] }
  | { readonly kind: 'preview'; readonly header: string; readonly mirror: boolean };

export type RolloutStrategyKind = 'canary' | 'abTest' | 'blueGreen';

/**
 * - `progressing`: analysing the current step.
 * - `paused`: held by a step pause (`pauseUntil` set: a timed pause; absent: waits for `promote`) or by `pause`.
 * - `waiting`: held at a gate by a failing webhook (retried every interval).
 * - `promoted`, `rolled-back`, `aborted`: final (blue/green keeps the old version ready until `scaleDownAt`).
 */
export type RolloutPhase = 'progressing' | 'paused' | 'waiting' | 'promoted' | 'rolled-back' | 'aborted';

export type RolloutCommand = 'promote' | 'pause' | 'resume' | 'abort' | 'retry';

export type WebhookType = 'pre-rollout' | 'confirm-promotion' | 'post-rollout' | 'rollback';

/** One metric of the new version against its bounds in one interval. */
export interface CheckResult {
  readonly metric: MetricName;
  /** Absent when the provider had no value for it. */
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
  readonly ok: boolean;
}

/** One analysis interval, old and new version side by side: a point of the live chart. */
export interface AnalysisPoint {
  readonly at: number;
  readonly step: number;
  readonly from: MetricSample;
  readonly to: MetricSample;
  /** `pass`, `fail`, or `no-data` (fewer than `minRequests` reached the new version, or the provider failed). */
  readonly verdict: 'pass' | 'fail' | 'no-data';
  readonly checks: readonly CheckResult[];
}

export type RolloutEventKind =
  | 'started'
  | 'step'
  | 'check-passed'
  | 'check-failed'
  | 'no-data'
  | 'paused'
  | 'resumed'
  | 'webhook-failed'
  | 'webhook-passed'
  | 'switched'
  | 'promoted'
  | 'rolled-back'
  | 'aborted'
  | 'retried'
  | 'deadline-exceeded'
  | 'scaled-down';

/** A transition, recorded with what was measured and why: the rollout's history. */
export interface RolloutEvent {
  /** Increasing per rollout, across restarts: clients ask for events `after` a sequence number. */
  readonly seq: number;
  readonly at: number;
  readonly kind: RolloutEventKind;
  readonly attempt: number;
  readonly step: number;
  readonly phase: RolloutPhase;
  readonly traffic: TrafficPlan;
  /** E.g. `success-rate 91.2 % < 99 % (2 of 3 failed checks)`. */
  readonly reason: string;
  readonly checks?: readonly CheckResult[];
}

/** A rollout as the controller reports it (API, CLI `-o json`, dashboard). */
export interface RolloutStatus {
  readonly namespace: string;
  readonly name: string;
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly strategy: RolloutStrategyKind;
  readonly phase: RolloutPhase;
  /** 0-based index of the current step; `steps` is how many there are (canary weights, or analysis iterations). */
  readonly step: number;
  readonly steps: number;
  /** The traffic plan in force now. */
  readonly traffic: TrafficPlan;
  readonly failedChecks: number;
  readonly threshold: number;
  /** 1, then +1 per `retry`. */
  readonly attempt: number;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** When a timed pause ends; when blue/green's old version is released. */
  readonly pauseUntil?: number;
  readonly scaleDownAt?: number;
  /** The latest transition's reason, for one-line displays. */
  readonly message: string;
  /** One point per analysis interval of the current attempt, oldest first. */
  readonly analysis: readonly AnalysisPoint[];
}
