import { TRPCError } from '@trpc/server';
import type { ApplyOutcome } from './api-types.js';
import type { DashboardContext } from './context.js';

/**
 * Validates the whole policy set with the edited file, with core, before anything leaves the
 * dashboard; only a valid set is sent to the control plane, which validates again and swaps.
 */
export async function applyEdit(ctx: DashboardContext, file: string, text: string): Promise<ApplyOutcome> {
  const current = await ctx.policies.snapshot();
  if (!current.sources.some((s) => s.file === file)) {
    throw new TRPCError({ code: 'NOT_FOUND', message: `${file} is not one of the loaded policy files; pick a file from the list` });
  }
  const trial = await ctx.policies.trial(file, text);
  if (!trial.result.valid) return { applied: false, version: undefined, diagnostics: trial.result.diagnostics };
  if (!ctx.controlPlane) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'no native mesh to apply to: start the dashboard with `anymesh up` (or pass a control-plane URL)',
    });
  }
  let result;
  try {
    result = await ctx.controlPlane.applyPolicies(trial.sources);
  } catch (error) {
    throw new TRPCError({ code: 'BAD_GATEWAY', message: `the control plane did not take the policies: ${(error as Error).message}` });
  }
  if (result.applied) ctx.policies.keep(file, text);
  return { applied: result.applied, version: result.version, diagnostics: result.diagnostics };
}
