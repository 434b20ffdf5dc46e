import type { RolloutPhase } from '@anymesh/core';
import { writeDiagnosticsText, summary } from '../../output.js';
import { RolloutApiError } from './client.js';

/**
 * `anymesh rollout` exit codes (documented in its help and docs/rollouts.md):
 * 0 done (for `status -w`: promoted), 1 failed (unknown rollout, invalid file, control plane unreachable or
 * refusing the token; for `status -w`: rolled back or aborted), 2 usage error, 3 the control plane refused the
 * command in the rollout's phase (409, e.g. resume of a rollout that is not paused), 130 `status -w` stopped by Ctrl-C.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, interrupted: 130 } as const;

/** The exit code `status -w` ends with once the rollout is in a final phase. */
export function exitCodeOfPhase(phase: RolloutPhase): number {
  return phase === 'promoted' ? EXIT.ok : EXIT.failed;
}

/** Prints an API error the way the other commands print theirs, and gives its exit code; rethrows anything else. */
export function reportApiError(error: unknown): number {
  if (!(error instanceof RolloutApiError)) throw error;
  if (error.kind === 'invalid') {
    writeDiagnosticsText(error.diagnostics);
    process.stderr.write(`invalid: ${summary(error.diagnostics)}; ${error.message}\n`);
    return EXIT.failed;
  }
  process.stderr.write(`anymesh: ${error.message}\n`);
  return error.kind === 'refused' ? EXIT.refused : EXIT.failed;
}
