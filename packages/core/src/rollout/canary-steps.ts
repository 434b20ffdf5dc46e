import type { CanaryStep, CanaryStrategy } from '../model/generated.js';
import { durationMs } from '../semantics/duration.js';

/** One canary step: the new version's weight, and the pause after its analysis passed (`ms` absent: until promote/resume). */
export interface PlannedStep {
  readonly weight: number;
  readonly pause?: { readonly ms?: number };
}

/**
 * The canary's steps in order. Explicit `steps` as written; otherwise `stepWeight`, 2×, … below
 * `maxWeight` (default 100), then `maxWeight` itself. Promotion (100 %) follows the last step.
 */
export function canarySteps(c: CanaryStrategy): PlannedStep[] {
  if (c.steps) return c.steps.map(plannedStep);
  const max = c.maxWeight ?? 100;
  const step = c.stepWeight ?? max;
  const steps: PlannedStep[] = [];
  for (let w = step; w < max; w += step) steps.push({ weight: w });
  steps.push({ weight: max });
  return steps;
}

/** The weight of a canary step written as a number or as `{ weight, pause }`. */
export function stepWeightOf(step: number | CanaryStep): number {
  return typeof step === 'number' ? step : step.weight;
}

function plannedStep(step: number | CanaryStep): PlannedStep {
  if (typeof step === 'number') return { weight: step };
  if (!step.pause) return { weight: step.weight };
  const d = step.pause.duration;
  return { weight: step.weight, pause: d === undefined ? {} : { ms: durationMs(d) } };
}
