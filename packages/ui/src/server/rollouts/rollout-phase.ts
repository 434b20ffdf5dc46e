import type { RolloutPhase } from '@anymesh/core';

/** Not yet promoted, rolled back or aborted. */
export function isActive(phase: RolloutPhase): boolean {
  return phase === 'progressing' || phase === 'paused' || phase === 'waiting';
}
