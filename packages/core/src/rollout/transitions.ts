import type { Rollout } from '../model/generated.js';
import type { RolloutConfig } from './config.js';
import type { CheckResult, RolloutEvent, RolloutEventKind, WebhookType } from './contract.js';
import type { RolloutState } from './state.js';
import { describeTraffic, humanDuration, trafficOf } from './traffic.js';

export type PlanEvent = Omit<RolloutEvent, 'seq'>;

/** What one input is doing to a rollout: the planner threads it through the transitions below. */
export interface Ctx {
  readonly rollout: Rollout;
  readonly cfg: RolloutConfig;
  readonly now: number;
}

export interface Draft {
  readonly state: RolloutState;
  readonly events: readonly PlanEvent[];
  readonly notify: readonly WebhookType[];
}

export const unchanged = (state: RolloutState): Draft => ({ state, events: [], notify: [] });

/** Moves to `next` and records why; the event carries the traffic `next` puts in force. */
export function record(
  ctx: Ctx,
  d: Draft,
  kind: RolloutEventKind,
  reason: string,
  next: RolloutState,
  checks?: readonly CheckResult[],
): Draft {
  const state: RolloutState = { ...next, updatedAt: ctx.now, message: reason };
  const event: PlanEvent = {
    at: ctx.now,
    kind,
    attempt: state.attempt,
    step: state.step,
    phase: state.phase,
    traffic: trafficOf(ctx.cfg, state),
    reason,
    ...(checks ? { checks } : {}),
  };
  return { state, events: [...d.events, event], notify: d.notify };
}

/** The state with every hold cleared (pause, gate), in `phase`. */
export function settled(state: RolloutState, phase: RolloutState['phase']): RolloutState {
  const { pauseUntil: _p, scaleDownAt: _s, pendingWebhook: _w, pausedBy: _b, ...rest } = state;
  return { ...rest, phase };
}

const notifying = (ctx: Ctx, d: Draft, type: WebhookType): Draft =>
  ctx.cfg.webhooks.has(type) ? { ...d, notify: [...d.notify, type] } : d;

/** `step 2 of 5 (20 % to v3)` for a canary, `check 2 of 10` for A/B and blue/green. */
export function stepLabel(ctx: Ctx, step: number): string {
  return ctx.cfg.strategy === 'canary' ? `step ${step + 1} of ${ctx.cfg.steps}` : `check ${step + 1} of ${ctx.cfg.steps}`;
}

/** Puts step `step` in force; the progress deadline starts again. */
export function enterStep(ctx: Ctx, d: Draft, step: number): Draft {
  const next: RolloutState = { ...settled(d.state, 'progressing'), step, stepStartedAt: ctx.now };
  const traffic = describeTraffic(trafficOf(ctx.cfg, next), ctx.rollout.spec.to);
  return record(ctx, d, 'step', `${stepLabel(ctx, step)}: ${traffic}`, next);
}

/** After a passed analysis: the step's pause, the next step, or the promotion gate. */
export function afterPass(ctx: Ctx, d: Draft): Draft {
  const s = d.state;
  const pause = ctx.cfg.strategy === 'canary' ? ctx.cfg.canary[s.step]?.pause : undefined;
  if (pause) {
    const base = { ...settled(s, 'paused'), pausedBy: 'step' as const };
    if (pause.ms === undefined) {
      return record(ctx, d, 'paused', `${stepLabel(ctx, s.step)} passed; paused until resume or promote`, base);
    }
    const until = ctx.now + pause.ms;
    return record(ctx, d, 'paused', `${stepLabel(ctx, s.step)} passed; pausing ${humanDuration(pause.ms)}`, { ...base, pauseUntil: until });
  }
  return nextStep(ctx, d);
}

/** Leaves the current step (its analysis and pause done) for the next one or the promotion gate. */
export function nextStep(ctx: Ctx, d: Draft): Draft {
  const s = d.state;
  if (s.step + 1 < ctx.cfg.steps) {
    if (ctx.cfg.strategy === 'canary') return enterStep(ctx, d, s.step + 1);
    // A/B and blue/green keep one traffic plan: the next iteration is just a count.
    return { ...d, state: { ...settled(s, 'progressing'), step: s.step + 1, stepStartedAt: ctx.now, updatedAt: ctx.now } };
  }
  if (ctx.cfg.webhooks.has('confirm-promotion')) {
    const next: RolloutState = { ...settled(s, 'waiting'), pendingWebhook: 'confirm-promotion' };
    return record(ctx, d, 'step', `${unit(ctx)} passed; waiting for the confirm-promotion webhooks`, next);
  }
  return promote(ctx, d, `${unit(ctx)} passed`);
}

/** `all 5 steps`, `all 3 checks`, `the 1 check`. */
function unit(ctx: Ctx): string {
  const n = ctx.cfg.steps;
  const what = ctx.cfg.strategy === 'canary' ? 'step' : 'check';
  return n === 1 ? `the 1 ${what}` : `all ${n} ${what}s`;
}

/** All of the service's from/to share to the new version; blue/green keeps the old one ready for `scaleDownDelay`. */
export function promote(ctx: Ctx, d: Draft, why: string): Draft {
  const { from, to } = ctx.rollout.spec;
  const base = settled(d.state, 'promoted');
  let next: Draft;
  if (ctx.cfg.strategy === 'blueGreen') {
    const scaleDownAt = ctx.now + ctx.cfg.scaleDownDelayMs;
    const reason = `${why}; switched: 100 % to ${to}; ${from} stays ready for ${humanDuration(ctx.cfg.scaleDownDelayMs)} (abort rolls back at once)`;
    next = record(ctx, d, 'switched', reason, { ...base, scaleDownAt });
  } else {
    next = record(ctx, d, 'promoted', `${why}; promoted: 100 % to ${to}`, base);
  }
  return notifying(ctx, next, 'post-rollout');
}

/** All of the share back to the old version: automatic (`rolled-back`, `deadline-exceeded`) or `abort`. */
export function rollBack(
  ctx: Ctx,
  d: Draft,
  kind: 'rolled-back' | 'deadline-exceeded' | 'aborted',
  reason: string,
  checks?: readonly CheckResult[],
): Draft {
  const next = record(ctx, d, kind, reason, settled(d.state, kind === 'aborted' ? 'aborted' : 'rolled-back'), checks);
  return notifying(ctx, next, 'rollback');
}

/** A progressing step older than `progressDeadline` rolls back (no data is no progress). */
export function checkDeadline(ctx: Ctx, d: Draft): Draft {
  const s = d.state;
  if (s.phase !== 'progressing' || ctx.now - s.stepStartedAt < ctx.cfg.progressDeadlineMs) return d;
  const reason = `deadline-exceeded: ${stepLabel(ctx, s.step)} did not pass its analysis within ${humanDuration(ctx.cfg.progressDeadlineMs)} (last: ${s.message}); all traffic back to ${ctx.rollout.spec.from}`;
  return rollBack(ctx, d, 'deadline-exceeded', reason);
}
