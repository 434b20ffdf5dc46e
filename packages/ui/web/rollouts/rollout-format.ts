import type { RolloutPhase, RolloutStatus, TrafficPlan } from '@anymesh/core';

export const PHASE_LABELS: Record<RolloutPhase, string> = {
  progressing: 'progressing',
  paused: 'paused',
  waiting: 'waiting at a gate',
  promoted: 'promoted',
  'rolled-back': 'rolled back',
  aborted: 'aborted',
};

export const STRATEGY_LABELS: Record<RolloutStatus['strategy'], string> = { canary: 'Canary', abTest: 'A/B test', blueGreen: 'Blue/green' };

/** The traffic plan in words: `v1 80% · v3 20%`, or who reaches the new version. */
export function trafficText(plan: TrafficPlan, from: string, to: string): string {
  switch (plan.kind) {
    case 'weights':
      return `${from} ${plan.from}% · ${to} ${plan.to}%`;
    case 'cohort':
      return `the cohort → ${to}, everyone else → ${from}`;
    case 'preview':
      return `${plan.header}: true → ${to}${plan.mirror ? `, ${from}'s traffic mirrored to ${to}` : ''}, everyone else → ${from}`;
  }
}

export const rolloutKey = (r: { namespace: string; name: string }) => `${r.namespace}/${r.name}`;

export function formatTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
