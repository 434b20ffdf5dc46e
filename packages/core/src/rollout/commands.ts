import type { RolloutCommand } from './contract.js';
import type { RolloutState } from './state.js';
import { nextStep, promote, record, rollBack, settled, unchanged, type Ctx, type Draft } from './transitions.js';
import { humanDuration } from './traffic.js';
import { startAt } from './webhooks-gates.js';

/** A manual command's result, or why the phase does not allow it (then the state is unchanged). */
export type CommandResult = { readonly draft: Draft } | { readonly refused: string };

/**
 * | phase        | promote | pause | resume | abort                      | retry |
 * | progressing  | yes     | yes   | —      | yes                        | —     |
 * | paused       | yes     | timed step pause → held | yes | yes         | —     |
 * | waiting      | yes     | yes   | —      | yes                        | —     |
 * | promoted     | —       | —     | —      | blue/green before scaleDownAt | —  |
 * | rolled-back, aborted | — | —   | —      | —                          | yes   |
 */
export function onCommand(ctx: Ctx, state: RolloutState, command: RolloutCommand): CommandResult {
  switch (command) {
    case 'promote':
      return promoteCmd(ctx, state);
    case 'pause':
      return pauseCmd(ctx, state);
    case 'resume':
      return resumeCmd(ctx, state);
    case 'abort':
      return abortCmd(ctx, state);
    case 'retry':
      return retryCmd(ctx, state);
  }
}

const active = (s: RolloutState) => s.phase === 'progressing' || s.phase === 'paused' || s.phase === 'waiting';

function finished(ctx: Ctx, s: RolloutState, command: RolloutCommand): string {
  const name = ctx.rollout.metadata.name;
  if (s.phase === 'promoted') return `cannot ${command} ${name}: it is already promoted (100 % to ${ctx.rollout.spec.to})`;
  return `cannot ${command} ${name}: it is ${s.phase} (all traffic on ${ctx.rollout.spec.from}); use retry to start it again`;
}

/** Skips to the end, past every remaining step, pause and gate: the user is the approver. */
function promoteCmd(ctx: Ctx, s: RolloutState): CommandResult {
  if (!active(s)) return { refused: finished(ctx, s, 'promote') };
  return { draft: promote(ctx, unchanged(s), 'promoted by user') };
}

function pauseCmd(ctx: Ctx, s: RolloutState): CommandResult {
  const name = ctx.rollout.metadata.name;
  if (s.phase === 'paused') {
    if (s.pausedBy === 'step' && s.pauseUntil !== undefined) {
      // Holding a timed step pause: it becomes a pause until resume or promote.
      const { pauseUntil: _u, ...held } = s;
      return { draft: record(ctx, unchanged(s), 'paused', 'paused by user (the step pause no longer ends by itself)', held) };
    }
    return { refused: `cannot pause ${name}: it is already paused; use resume or promote` };
  }
  if (s.phase !== 'progressing' && s.phase !== 'waiting') return { refused: finished(ctx, s, 'pause') };
  return { draft: record(ctx, unchanged(s), 'paused', 'paused by user', { ...s, phase: 'paused', pausedBy: 'user' }) };
}

/** A user pause goes back to where it was (the deadline starts again); a step pause goes on to the next step. */
function resumeCmd(ctx: Ctx, s: RolloutState): CommandResult {
  if (s.phase !== 'paused') return { refused: `cannot resume ${ctx.rollout.metadata.name}: it is ${s.phase}, not paused` };
  const d = unchanged(s);
  if (s.pausedBy === 'step') return { draft: nextStep(ctx, record(ctx, d, 'resumed', 'resumed by user after the step pause', s)) };
  const back = s.pendingWebhook ? { ...settled(s, 'waiting'), pendingWebhook: s.pendingWebhook } : settled(s, 'progressing');
  return { draft: record(ctx, d, 'resumed', 'resumed by user', { ...back, stepStartedAt: ctx.now }) };
}

function abortCmd(ctx: Ctx, s: RolloutState): CommandResult {
  const { from } = ctx.rollout.spec;
  if (active(s)) return { draft: rollBack(ctx, unchanged(s), 'aborted', `aborted by user; all traffic back to ${from}`) };
  if (s.phase === 'promoted' && s.scaleDownAt !== undefined && ctx.now < s.scaleDownAt) {
    const left = humanDuration(Math.max(0, s.scaleDownAt - ctx.now));
    return {
      draft: rollBack(
        ctx,
        unchanged(s),
        'aborted',
        `aborted by user ${left} before ${from} was released; all traffic back to ${from} at once`,
      ),
    };
  }
  if (s.phase === 'promoted') {
    const why = ctx.cfg.strategy === 'blueGreen' ? `${from} was already released` : 'it is already promoted';
    return { refused: `cannot abort ${ctx.rollout.metadata.name}: ${why}; start a rollout back to ${from} instead` };
  }
  return { refused: `cannot abort ${ctx.rollout.metadata.name}: it is already ${s.phase}` };
}

function retryCmd(ctx: Ctx, s: RolloutState): CommandResult {
  if (s.phase !== 'rolled-back' && s.phase !== 'aborted') {
    return { refused: `cannot retry ${ctx.rollout.metadata.name}: it is ${s.phase}; retry follows a rollback or an abort` };
  }
  const next = startAt(ctx, { ...s, attempt: s.attempt + 1 });
  const where = next.phase === 'waiting' ? 'waiting for the pre-rollout webhooks' : 'back to step 1';
  return { draft: record(ctx, unchanged(s), 'retried', `retried by user: attempt ${next.attempt}, ${where}`, next) };
}
