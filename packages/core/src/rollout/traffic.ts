import type { RolloutConfig } from './config.js';
import type { TrafficPlan } from './contract.js';
import type { RolloutState } from './state.js';

export const ALL_FROM: TrafficPlan = { kind: 'weights', from: 100, to: 0 };
export const ALL_TO: TrafficPlan = { kind: 'weights', from: 0, to: 100 };

/**
 * The traffic a state puts in force: a function of the state alone, so re-applying it after a
 * restart gives the same split (canary weights never regress within an attempt).
 */
export function trafficOf(cfg: RolloutConfig, state: RolloutState): TrafficPlan {
  switch (state.phase) {
    case 'promoted':
      return ALL_TO;
    case 'rolled-back':
    case 'aborted':
      return ALL_FROM;
    case 'waiting':
    case 'paused':
      // Before the pre-rollout gate has passed, the first step is not in force yet.
      if (state.pendingWebhook === 'pre-rollout') return ALL_FROM;
      break;
    case 'progressing':
      break;
  }
  switch (cfg.strategy) {
    case 'canary': {
      const w = cfg.canary[Math.min(state.step, cfg.canary.length - 1)]?.weight ?? 0;
      return { kind: 'weights', from: 100 - w, to: w };
    }
    case 'abTest':
      return { kind: 'cohort', matches: cfg.matches };
    case 'blueGreen':
      return { kind: 'preview', header: cfg.previewHeader, mirror: cfg.mirror };
  }
}

/** `30 % to v3`, `cohort to v3`, `preview of v3 (header x-anymesh-preview: true, mirrored)`. */
export function describeTraffic(plan: TrafficPlan, to: string): string {
  switch (plan.kind) {
    case 'weights':
      return `${plan.to} % to ${to}`;
    case 'cohort':
      return `cohort to ${to}`;
    case 'preview':
      return `preview of ${to} (header ${plan.header}: true${plan.mirror ? ', live traffic mirrored' : ''})`;
  }
}

/** `30s`, `10m`, `1h`, `1500ms`: the largest whole unit. */
export function humanDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
