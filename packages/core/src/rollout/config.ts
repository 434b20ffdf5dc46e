import type { AbMatch, AnalysisMetric, Rollout } from '../model/generated.js';
import { DEFAULTS } from '../model/defaults.js';
import { durationMs } from '../semantics/duration.js';
import { canarySteps, type PlannedStep } from './canary-steps.js';
import type { RolloutStrategyKind, WebhookType } from './contract.js';

/** A rollout's settings with every default applied: what the planner reads. */
export interface RolloutConfig {
  readonly strategy: RolloutStrategyKind;
  /** Canary steps; empty for A/B and blue/green. */
  readonly canary: readonly PlannedStep[];
  /** Canary: its steps; A/B and blue/green: analysis iterations before promotion. */
  readonly steps: number;
  readonly matches: readonly AbMatch[];
  readonly previewHeader: string;
  readonly mirror: boolean;
  readonly scaleDownDelayMs: number;
  readonly intervalMs: number;
  readonly threshold: number;
  readonly minRequests: number;
  readonly progressDeadlineMs: number;
  readonly metrics: readonly AnalysisMetric[];
  /** Webhook types the rollout declares: only these gate or notify. */
  readonly webhooks: ReadonlySet<WebhookType>;
}

export const ROLLOUT_DEFAULTS = {
  abIterations: 10,
  blueGreenIterations: 5,
  previewHeader: 'x-anymesh-preview',
  scaleDownDelay: '30s',
  minRequests: 10,
  progressDeadline: '10m',
} as const;

export function configOf(rollout: Rollout): RolloutConfig {
  const spec = rollout.spec;
  const a = spec.analysis;
  const common = {
    intervalMs: durationMs(a?.interval ?? DEFAULTS.rolloutInterval),
    threshold: a?.threshold ?? DEFAULTS.rolloutThreshold,
    minRequests: a?.minRequests ?? ROLLOUT_DEFAULTS.minRequests,
    progressDeadlineMs: durationMs(a?.progressDeadline ?? ROLLOUT_DEFAULTS.progressDeadline),
    metrics: a?.metrics ?? [],
    webhooks: new Set((spec.webhooks ?? []).map((w) => w.type)),
    matches: [],
    previewHeader: ROLLOUT_DEFAULTS.previewHeader,
    mirror: false,
    scaleDownDelayMs: 0,
    canary: [],
  };
  const s = spec.strategy;
  if ('canary' in s) {
    const canary = canarySteps(s.canary);
    return { ...common, strategy: 'canary', canary, steps: canary.length };
  }
  if ('abTest' in s) {
    return { ...common, strategy: 'abTest', matches: s.abTest.match, steps: s.abTest.iterations ?? ROLLOUT_DEFAULTS.abIterations };
  }
  const bg = s.blueGreen;
  return {
    ...common,
    strategy: 'blueGreen',
    steps: bg.iterations ?? ROLLOUT_DEFAULTS.blueGreenIterations,
    previewHeader: bg.previewHeader ?? ROLLOUT_DEFAULTS.previewHeader,
    mirror: bg.mirror ?? false,
    scaleDownDelayMs: durationMs(bg.scaleDownDelay ?? ROLLOUT_DEFAULTS.scaleDownDelay),
  };
}
