import type { AnalysisMetric, CanaryStep, Rollout } from '../model/generated.js';
import { DEFAULTS } from '../model/defaults.js';
import { parseDuration } from '../semantics/duration.js';

/**
 * The rollout planner: a pure state machine. The controller (native mesh or a cluster) measures the
 * new version every `analysis.interval`, calls `planNext`, and applies the returned traffic plan.
 */
export type RolloutPhase = 'progressing' | 'promoted' | 'rolled-back';

export interface RolloutState {
  readonly phase: RolloutPhase;
  /** Index of the current step: a canary weight index, or the count of passed A/B / blue-green checks. */
  readonly step: number;
  /** Failed checks so far; `analysis.threshold` of them roll back. */
  readonly failedChecks: number;
}

/** What the new version did during the last interval. Latencies in milliseconds, rates in percent or req/s. */
export interface MetricSample {
  readonly requests: number;
  readonly values: Readonly<Partial<Record<AnalysisMetric['name'], number>>>;
}

/** How traffic must be split now. `weights` are percentages summing to 100. */
export type TrafficPlan =
  | { readonly kind: 'weights'; readonly from: number; readonly to: number }
  | { readonly kind: 'match'; readonly toGetsMatching: true; readonly previewOnly: boolean };

export interface PlanResult {
  readonly state: RolloutState;
  readonly traffic: TrafficPlan;
  readonly reason: string;
}

export const INITIAL_ROLLOUT_STATE: RolloutState = { phase: 'progressing', step: 0, failedChecks: 0 };

/** The canary weights of the new version, in order; the last one is followed by promotion. */
export function canaryWeights(rollout: Rollout): number[] {
  const strategy = rollout.spec.strategy;
  if (!('canary' in strategy)) return [];
  const c = strategy.canary;
  if (c.steps) return c.steps.map(stepWeightOf);
  const max = c.maxWeight ?? 100;
  const step = c.stepWeight ?? max;
  const weights: number[] = [];
  for (let w = step; w < max; w += step) weights.push(w);
  weights.push(max);
  return weights;
}

/** The traffic plan for a state, without advancing anything (what to apply after a restart). */
export function trafficFor(rollout: Rollout, state: RolloutState): TrafficPlan {
  if (state.phase === 'promoted') return { kind: 'weights', from: 0, to: 100 };
  if (state.phase === 'rolled-back') return { kind: 'weights', from: 100, to: 0 };
  const strategy = rollout.spec.strategy;
  if ('canary' in strategy) {
    const w = canaryWeights(rollout)[Math.min(state.step, canaryWeights(rollout).length - 1)] ?? 0;
    return { kind: 'weights', from: 100 - w, to: w };
  }
  return { kind: 'match', toGetsMatching: true, previewOnly: 'blueGreen' in strategy };
}

/** The failed checks of a sample, as readable reasons; empty when every bound holds. */
export function failedChecks(metrics: readonly AnalysisMetric[], sample: MetricSample): string[] {
  const failures: string[] = [];
  for (const m of metrics) {
    const value = sample.values[m.name];
    if (value === undefined) {
      failures.push(`${m.name} has no value`);
      continue;
    }
    const min = bound(m.min);
    const max = bound(m.max);
    if (min !== undefined && value < min) failures.push(`${m.name} ${round(value)} < min ${m.min}`);
    if (max !== undefined && value > max) failures.push(`${m.name} ${round(value)} > max ${m.max}`);
  }
  return failures;
}

/** Advances the rollout by one analysis interval. */
export function planNext(rollout: Rollout, state: RolloutState, sample: MetricSample): PlanResult {
  if (state.phase !== 'progressing') return { state, traffic: trafficFor(rollout, state), reason: `rollout already ${state.phase}` };
  const analysis = rollout.spec.analysis;
  const minRequests = analysis?.minRequests ?? 10;
  if (sample.requests < minRequests) {
    return {
      state,
      traffic: trafficFor(rollout, state),
      reason: `waiting: ${sample.requests} requests to ${rollout.spec.to} < ${minRequests}`,
    };
  }
  const failures = failedChecks(analysis?.metrics ?? [], sample);
  if (failures.length > 0) {
    const failed = state.failedChecks + 1;
    const threshold = analysis?.threshold ?? DEFAULTS.rolloutThreshold;
    const next: RolloutState =
      failed >= threshold ? { ...state, phase: 'rolled-back', failedChecks: failed } : { ...state, failedChecks: failed };
    const verdict = next.phase === 'rolled-back' ? `rolled back after ${failed} failed checks` : `check ${failed}/${threshold} failed`;
    return { state: next, traffic: trafficFor(rollout, next), reason: `${verdict}: ${failures.join('; ')}` };
  }
  const last = lastStep(rollout);
  const next: RolloutState = state.step >= last ? { ...state, phase: 'promoted', step: state.step } : { ...state, step: state.step + 1 };
  const reason =
    next.phase === 'promoted' ? `promoted ${rollout.spec.to}: all checks passed` : `checks passed: step ${next.step + 1} of ${last + 1}`;
  return { state: next, traffic: trafficFor(rollout, next), reason };
}

/** The weight of a canary step written as a number or as `{ weight, pause }`. */
export function stepWeightOf(step: number | CanaryStep): number {
  return typeof step === 'number' ? step : step.weight;
}

function lastStep(rollout: Rollout): number {
  const s = rollout.spec.strategy;
  if ('canary' in s) return canaryWeights(rollout).length - 1;
  if ('abTest' in s) return (s.abTest.iterations ?? 10) - 1;
  return (s.blueGreen.iterations ?? 5) - 1;
}

function bound(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : parseDuration(v);
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
