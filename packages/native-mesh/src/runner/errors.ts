import type { Diagnostic } from '@anymesh/core';

export type RunnerErrorCode = 'POLICIES_INVALID' | 'NO_WORKLOADS' | 'START_FAILED' | 'NOT_READY' | 'ABORTED';

/** Why `startLocalMesh` refused or failed; everything it had started is stopped before this is thrown. */
export class RunnerError extends Error {
  override readonly name = 'RunnerError';

  constructor(
    readonly code: RunnerErrorCode,
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}
