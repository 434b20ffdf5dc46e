import type { Diagnostic, RolloutCommand, RolloutEvent, RolloutStatus, SourceText } from '@anymesh/core';

/**
 * The rollout API of the control plane (admin token, like `/v1/policies`). The CLI
 * (`anymesh rollout …`) and the dashboard use only this.
 *
 *   GET  /v1/rollouts                                   -> RolloutList
 *   GET  /v1/rollouts/:namespace/:name                  -> RolloutStatus          (404 unknown)
 *   GET  /v1/rollouts/:namespace/:name/events?after=N   -> RolloutEventList       (events with seq > N; all when absent)
 *   POST /v1/rollouts            StartRolloutRequest    -> StartRolloutResponse   (adds or replaces the Rollout in the
 *                                                                                   policies in force, like apply; 422
 *                                                                                   with diagnostics when invalid)
 *   POST /v1/rollouts/:namespace/:name/:command         -> RolloutStatus          (command: promote|pause|resume|abort|retry;
 *                                                                                   409 RolloutCommandRefused when the
 *                                                                                   phase does not allow it)
 *
 * A Rollout object in the policies applied with `anymesh apply` (or `-f` at start) starts the
 * same way; removing it from the policies aborts it.
 */

export interface RolloutList {
  readonly rollouts: readonly RolloutStatus[];
}

export interface RolloutEventList {
  readonly events: readonly RolloutEvent[];
}

export interface StartRolloutRequest {
  /** One YAML text holding exactly one Rollout (more documents are refused). */
  readonly source: SourceText;
}

export type StartRolloutResponse =
  | { readonly started: true; readonly status: RolloutStatus; readonly diagnostics: readonly Diagnostic[] }
  | { readonly started: false; readonly diagnostics: readonly Diagnostic[] };

export interface RolloutCommandRefused {
  readonly error: 'command-refused';
  readonly command: RolloutCommand;
  readonly phase: RolloutStatus['phase'];
  /** E.g. `cannot resume reviews-v3: it is progressing, not paused`. */
  readonly message: string;
}
