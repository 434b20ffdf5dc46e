/** Codes of rollout-controller failures; stable, documented in docs/rollouts.md. */
export type RolloutErrorCode = 'STORE_INVALID' | 'STORE_UNWRITABLE';

export class RolloutError extends Error {
  override readonly name = 'RolloutError';

  constructor(
    readonly code: RolloutErrorCode,
    message: string,
    /** The file or directory concerned. */
    readonly file: string,
  ) {
    super(message);
  }
}
