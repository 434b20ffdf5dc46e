import type { RolloutStatus } from '@anymesh/core';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { RolloutCommandOutcome, RolloutDetailView, RolloutReview, StartOutcome, WizardOptions } from '../api-types.js';
import type { DashboardContext } from '../context.js';
import { ControlPlaneAnswer, type ControlPlaneClient } from '../sources/control-plane.js';
import { publicProcedure, router } from '../trpc.js';
import { draftInput } from './draft.js';
import { checkDraft, reviewDraft } from './review.js';
import { rolloutDetail } from './rollout-detail.js';
import { wizardOptions } from './wizard-options.js';

const nameInput = z.object({ namespace: z.string().min(1).max(253), name: z.string().min(1).max(253) });

function controlPlaneOf(ctx: DashboardContext): ControlPlaneClient {
  if (ctx.controlPlane) return ctx.controlPlane;
  throw new TRPCError({
    code: 'PRECONDITION_FAILED',
    message: 'rollouts run in the native mesh control plane: start the dashboard with `anymesh up` (or pass a control-plane URL)',
  });
}

/** The control plane's answer as a tRPC error the web app can show: unknown rollout, unreachable mesh. */
async function proxied<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ControlPlaneAnswer && error.status === 404)
      throw new TRPCError({ code: 'NOT_FOUND', message: `no rollout ${what}` });
    if (error instanceof ControlPlaneAnswer) throw new TRPCError({ code: 'BAD_GATEWAY', message: error.message });
    throw new TRPCError({ code: 'BAD_GATEWAY', message: `cannot reach the control plane for ${what}: ${(error as Error).message}` });
  }
}

/** The rollout API of the control plane (protocol/rollouts.ts), and the wizard that writes a Rollout for it. */
export const rolloutRouter = router({
  list: publicProcedure.query(({ ctx }): Promise<readonly RolloutStatus[]> => {
    const client = controlPlaneOf(ctx);
    return proxied('list', async () => (await client.listRollouts()).rollouts);
  }),

  detail: publicProcedure.input(nameInput).query(({ ctx, input }): Promise<RolloutDetailView> => {
    const client = controlPlaneOf(ctx);
    return proxied(`${input.namespace}/${input.name}`, () => rolloutDetail(client, input.namespace, input.name));
  }),

  command: publicProcedure
    .input(nameInput.extend({ command: z.enum(['promote', 'pause', 'resume', 'abort', 'retry']) }))
    .mutation(async ({ ctx, input }): Promise<RolloutCommandOutcome> => {
      const client = controlPlaneOf(ctx);
      const outcome = await proxied(`${input.namespace}/${input.name}`, () =>
        client.rolloutCommand(input.namespace, input.name, input.command),
      );
      return outcome.done ? outcome : { done: false, message: outcome.refused.message };
    }),

  wizardOptions: publicProcedure.query(({ ctx }): Promise<WizardOptions> => wizardOptions(ctx)),

  /** The Rollout the wizard describes, validated like `anymesh validate`; with `meshes`, each mesh's first stage. */
  review: publicProcedure
    .input(z.object({ draft: draftInput, meshes: z.boolean() }))
    .query(({ ctx, input }): Promise<RolloutReview> => reviewDraft(ctx, input.draft, input.meshes)),

  /** Validates here first (nothing leaves the dashboard when invalid), then `POST /v1/rollouts`. */
  start: publicProcedure.input(draftInput).mutation(async ({ ctx, input }): Promise<StartOutcome> => {
    const checked = await checkDraft(ctx, input);
    if (!checked.valid) return { started: false, diagnostics: checked.diagnostics };
    const client = controlPlaneOf(ctx);
    const answer = await proxied('start', () => client.startRollout(checked.source));
    if (!answer.started) return { started: false, diagnostics: answer.diagnostics, message: 'the control plane refused the rollout' };
    return { started: true, namespace: answer.status.namespace, name: answer.status.name, diagnostics: answer.diagnostics };
  }),
});
