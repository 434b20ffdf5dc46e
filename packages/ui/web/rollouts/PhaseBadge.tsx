import type { RolloutPhase } from '@anymesh/core';
import { PHASE_LABELS } from './rollout-format.js';

export function PhaseBadge({ phase }: { phase: RolloutPhase }) {
  return <span className={`badge phase-${phase}`}>{PHASE_LABELS[phase]}</span>;
}
