import type { WebhookType } from './contract.js';
import { enterStep, promote, record, settled, unchanged, type Ctx, type Draft } from './transitions.js';
import type { RolloutState } from './state.js';

/*
 * Gating webhooks hold the rollout in `waiting` at two gates: `pre-rollout` before the first step,
 * `confirm-promotion` before promotion. The controller calls the gate's webhooks every interval and
 * feeds the result back; `post-rollout` and `rollback` are informational (the planner's `notify`).
 */

/** The first state of an attempt: at the pre-rollout gate when the rollout declares one, else at step 1. */
export function startAt(ctx: Ctx, base: RolloutState): RolloutState {
  const s: RolloutState = { ...settled(base, 'progressing'), step: 0, failedChecks: 0, stepStartedAt: ctx.now, updatedAt: ctx.now };
  return ctx.cfg.webhooks.has('pre-rollout') ? { ...settled(s, 'waiting'), pendingWebhook: 'pre-rollout' } : s;
}

/** One round of a gate's webhooks: all passed opens the gate; a failure keeps it shut (recorded once per distinct detail). */
export function onWebhook(ctx: Ctx, state: RolloutState, type: WebhookType, ok: boolean, detail: string): Draft {
  // A result for a gate the rollout is no longer at (it was promoted, aborted, …) is stale.
  if (state.phase !== 'waiting' || state.pendingWebhook !== type) return unchanged(state);
  const d = unchanged(state);
  if (!ok) {
    const reason = `${type} webhook failed: ${detail}; retried every interval`;
    // A gate can stay shut for hours (a manual approval): the history gets one line per new answer, not one per call.
    return reason === state.message ? d : record(ctx, d, 'webhook-failed', reason, state);
  }
  const passed = record(ctx, d, 'webhook-passed', `${type} webhooks passed${detail ? `: ${detail}` : ''}`, state);
  return type === 'pre-rollout' ? enterStep(ctx, passed, 0) : promote(ctx, passed, 'confirm-promotion webhooks passed');
}
