import type { Rollout } from '../model/generated.js';
import { namespaceOf } from '../model/kinds.js';
import { judge } from './analysis-checks.js';
import { onCommand } from './commands.js';
import { configOf, type RolloutConfig } from './config.js';
import type { AnalysisPoint, MetricSample, RolloutCommand, RolloutEvent, RolloutStatus, TrafficPlan, WebhookType } from './contract.js';
import type { RolloutState } from './state.js';
import { describeTraffic, humanDuration, trafficOf } from './traffic.js';
import { afterPass, checkDeadline, nextStep, record, rollBack, stepLabel, unchanged, type Ctx, type Draft } from './transitions.js';
import { onWebhook, startAt } from './webhooks-gates.js';

/**
 * The rollout planner: a pure state machine (docs/rollouts.md). A controller feeds it one input at
 * a time — an interval's metrics, the passing of time, a user's command, a gate's webhook result —
 * persists the returned state as JSON, applies the returned traffic plan and records the events.
 */
export type { RolloutState } from './state.js';

export type RolloutInput =
  | { readonly kind: 'analysis'; readonly now: number; readonly from: MetricSample; readonly to: MetricSample | { readonly error: string } }
  | { readonly kind: 'tick'; readonly now: number }
  | { readonly kind: 'command'; readonly now: number; readonly command: RolloutCommand }
  | { readonly kind: 'webhook'; readonly now: number; readonly type: WebhookType; readonly ok: boolean; readonly detail: string };

export interface PlanOutcome {
  readonly state: RolloutState;
  /** What must be in force after this input. */
  readonly traffic: TrafficPlan;
  readonly events: readonly Omit<RolloutEvent, 'seq'>[];
  /** For `analysis` inputs counted by the phase (progressing). */
  readonly point?: AnalysisPoint;
  /** Informational webhooks to call now (post-rollout, rollback), only types the rollout declares. */
  readonly notify: readonly WebhookType[];
  /** A command the phase does not allow; the state is then unchanged. */
  readonly refused?: string;
}

/** The state of a rollout that starts at `now`: step 1, or the pre-rollout gate when it has one. */
export function initialState(rollout: Rollout, now: number): RolloutState {
  const cfg = configOf(rollout);
  const seed: RolloutState = {
    phase: 'progressing',
    step: 0,
    failedChecks: 0,
    attempt: 1,
    startedAt: now,
    stepStartedAt: now,
    updatedAt: now,
    message: '',
  };
  const state = startAt({ rollout, cfg, now }, seed);
  return { ...state, message: startMessage(rollout, cfg, state) };
}

/** `initialState` with its `started` event, for a controller that records history from the first line. */
export function startRollout(rollout: Rollout, now: number): PlanOutcome {
  const cfg = configOf(rollout);
  const state = initialState(rollout, now);
  const d = record({ rollout, cfg, now }, unchanged(state), 'started', state.message, state);
  return { state: d.state, traffic: trafficOf(cfg, d.state), events: d.events, notify: [] };
}

export function advance(rollout: Rollout, state: RolloutState, input: RolloutInput): PlanOutcome {
  const ctx: Ctx = { rollout, cfg: configOf(rollout), now: input.now };
  switch (input.kind) {
    case 'analysis':
      return analyse(ctx, state, input.from, input.to);
    case 'tick':
      return outcome(ctx, onTick(ctx, state));
    case 'webhook':
      return outcome(ctx, onWebhook(ctx, state, input.type, input.ok, input.detail));
    case 'command': {
      const r = onCommand(ctx, state, input.command);
      return 'refused' in r ? { ...outcome(ctx, unchanged(state)), refused: r.refused } : outcome(ctx, r.draft);
    }
  }
}

export function trafficFor(rollout: Rollout, state: RolloutState): TrafficPlan {
  return trafficOf(configOf(rollout), state);
}

/** Canary: its steps; A/B and blue/green: the analysis iterations before promotion. */
export function stepCount(rollout: Rollout): number {
  return configOf(rollout).steps;
}

export function statusOf(rollout: Rollout, state: RolloutState, analysis: readonly AnalysisPoint[]): RolloutStatus {
  const cfg = configOf(rollout);
  const { metadata, spec } = rollout;
  return {
    namespace: namespaceOf(rollout),
    name: metadata.name,
    service: spec.service,
    from: spec.from,
    to: spec.to,
    strategy: cfg.strategy,
    phase: state.phase,
    step: state.step,
    steps: cfg.steps,
    traffic: trafficOf(cfg, state),
    failedChecks: state.failedChecks,
    threshold: cfg.threshold,
    attempt: state.attempt,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    ...(state.pauseUntil === undefined ? {} : { pauseUntil: state.pauseUntil }),
    ...(state.scaleDownAt === undefined ? {} : { scaleDownAt: state.scaleDownAt }),
    message: state.message,
    analysis,
  };
}

function outcome(ctx: Ctx, d: Draft, point?: AnalysisPoint): PlanOutcome {
  return { state: d.state, traffic: trafficOf(ctx.cfg, d.state), events: d.events, notify: d.notify, ...(point ? { point } : {}) };
}

/** One interval of analysis counts only while progressing (not during pauses, gates, or after the end). */
function analyse(ctx: Ctx, state: RolloutState, from: MetricSample, to: MetricSample | { error: string }): PlanOutcome {
  if (state.phase !== 'progressing') return outcome(ctx, unchanged(state));
  const j = judge(ctx.cfg, { service: ctx.rollout.spec.service, version: ctx.rollout.spec.to }, to);
  const point: AnalysisPoint = { at: ctx.now, step: state.step, from, to: j.to, verdict: j.verdict, checks: j.checks };
  const d = unchanged(state);
  switch (j.verdict) {
    case 'no-data':
      return outcome(ctx, checkDeadline(ctx, record(ctx, d, 'no-data', j.reason, state)), point);
    case 'fail': {
      const failed = state.failedChecks + 1;
      const counted = `${j.reason} (${failed} of ${ctx.cfg.threshold} failed checks)`;
      const next = { ...state, failedChecks: failed };
      if (failed >= ctx.cfg.threshold) {
        const reason = `rolled back: ${counted}; all traffic back to ${ctx.rollout.spec.from}`;
        return outcome(ctx, rollBack(ctx, { ...d, state: next }, 'rolled-back', reason, j.checks), point);
      }
      return outcome(ctx, checkDeadline(ctx, record(ctx, d, 'check-failed', counted, next, j.checks)), point);
    }
    case 'pass': {
      const reason = `${j.reason} (${stepLabel(ctx, state.step)} passed)`;
      return outcome(ctx, afterPass(ctx, record(ctx, d, 'check-passed', reason, state, j.checks)), point);
    }
  }
}

/** Time passed: a timed step pause ends, a step misses its deadline, blue/green releases the old version. */
function onTick(ctx: Ctx, s: RolloutState): Draft {
  const d = unchanged(s);
  if (s.phase === 'progressing') return checkDeadline(ctx, d);
  if (s.phase === 'paused' && s.pausedBy === 'step' && s.pauseUntil !== undefined && ctx.now >= s.pauseUntil) {
    return nextStep(ctx, record(ctx, d, 'resumed', `the pause after ${stepLabel(ctx, s.step)} ended`, s));
  }
  if (s.phase === 'promoted' && s.scaleDownAt !== undefined && ctx.now >= s.scaleDownAt) {
    const { scaleDownAt: _s, ...released } = s;
    return record(ctx, d, 'scaled-down', `${ctx.rollout.spec.from} released: abort no longer rolls back instantly`, released);
  }
  return d;
}

function startMessage(rollout: Rollout, cfg: RolloutConfig, state: RolloutState): string {
  const { service, from, to } = rollout.spec;
  const what = `${service} ${from} → ${to}, ${cfg.strategy} in ${cfg.steps} ${cfg.strategy === 'canary' ? 'steps' : 'checks'} every ${humanDuration(cfg.intervalMs)}`;
  if (state.phase === 'waiting') return `started: ${what}; waiting for the pre-rollout webhooks`;
  return `started: ${what}; ${describeTraffic(trafficOf(cfg, state), to)}`;
}
