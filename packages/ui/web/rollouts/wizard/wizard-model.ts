import type { Diagnostic, RolloutStrategyKind } from '@anymesh/core';
import type { DraftStep, RolloutDraft, WizardService } from '../../../src/server/api-types.js';

export const PAGES = ['service', 'versions', 'strategy', 'steps', 'analysis', 'review'] as const;
export type Page = (typeof PAGES)[number];

export const PAGE_TITLES: Record<Page, string> = {
  service: 'Service',
  versions: 'Versions',
  strategy: 'Strategy',
  steps: 'Steps',
  analysis: 'Analysis',
  review: 'Review and start',
};

/** The page a strategy's own settings are on is named after what it asks. */
export function stepsTitle(strategy: RolloutStrategyKind): string {
  return strategy === 'canary' ? 'Steps' : strategy === 'abTest' ? 'Cohort' : 'Preview';
}

export const STRATEGIES: readonly { id: RolloutStrategyKind; label: string; explanation: string }[] = [
  {
    id: 'canary',
    label: 'Canary',
    explanation: 'Shift a growing share of all requests to the new version, step by step, each step checked.',
  },
  {
    id: 'abTest',
    label: 'A/B test',
    explanation: 'Send only a cohort (by header or cookie) to the new version; everyone else stays on the old one.',
  },
  {
    id: 'blueGreen',
    label: 'Blue/green',
    explanation: 'Check the new version on preview (and optionally mirrored) traffic, then switch everyone at once.',
  },
];

export const STEP_PRESETS: readonly { label: string; weights: readonly number[] }[] = [
  { label: 'Quick: 20 → 50', weights: [20, 50] },
  { label: 'Gentle: 10 → 25 → 50', weights: [10, 25, 50] },
  { label: 'Careful: 5 → 10 → 25 → 50 → 75', weights: [5, 10, 25, 50, 75] },
];

export const stepsOf = (weights: readonly number[]): DraftStep[] => weights.map((weight) => ({ weight, pause: 'none', duration: '' }));

/** The defaults a user starts from: the schema's own defaults and the bounds most services should meet. */
export function defaultDraft(service: WizardService | undefined, from: string, to: string, strategy: RolloutStrategyKind): RolloutDraft {
  return {
    namespace: service?.namespace ?? 'default',
    name: service && to ? `${service.name}-${to}` : '',
    service: service?.name ?? '',
    from,
    to,
    strategy,
    steps: stepsOf([10, 25, 50]),
    cohort: [{ kind: 'header', name: 'x-user-type', value: 'beta' }],
    iterations: '5',
    previewHeader: 'x-anymesh-preview',
    mirror: false,
    scaleDownDelay: '30s',
    interval: '30s',
    threshold: '3',
    minRequests: '10',
    metrics: [
      { name: 'success-rate', min: '99', max: '' },
      { name: 'latency-p99', min: '', max: '500ms' },
    ],
  };
}

/**
 * Which wizard field a diagnostic is about, from its field path (`spec.strategy.canary.steps[1].weight`
 * → `steps[1]`); `''` when no field owns it (shown on the review page).
 */
export function fieldOf(path: string): string {
  const rules: readonly [RegExp, (m: RegExpExecArray) => string][] = [
    [/^metadata\./, () => 'name'],
    [/^spec\.(service|from|to)\b/, (m) => m[1] ?? ''],
    [/^spec\.strategy\.canary\.steps\[(\d+)\]/, (m) => `steps[${m[1]}]`],
    [/^spec\.strategy\.canary/, () => 'steps'],
    [/^spec\.strategy\.abTest\.match\[(\d+)\]/, (m) => `cohort[${m[1]}]`],
    [/^spec\.strategy\.(?:abTest|blueGreen)\.(iterations|previewHeader|mirror|scaleDownDelay)/, (m) => m[1] ?? ''],
    [/^spec\.strategy\.abTest/, () => 'cohort'],
    [/^spec\.strategy/, () => 'strategy'],
    [/^spec\.analysis\.metrics\[(\d+)\]/, (m) => `metrics[${m[1]}]`],
    [/^spec\.analysis\.(interval|threshold|minRequests)/, (m) => m[1] ?? ''],
    [/^spec\.analysis/, () => 'metrics'],
  ];
  for (const [re, name] of rules) {
    const m = re.exec(path);
    if (m) return name(m);
  }
  return '';
}

const FIELDS_ON: Record<Page, RegExp> = {
  service: /^(name|service)$/,
  versions: /^(from|to)$/,
  strategy: /^strategy$/,
  steps: /^(steps|cohort|iterations|previewHeader|mirror|scaleDownDelay)/,
  analysis: /^(interval|threshold|minRequests|metrics)/,
  review: /^$/,
};

/** The page a diagnostic belongs on, so the wizard can say where to go to fix it. */
export function pageOf(d: Diagnostic): Page {
  const field = fieldOf(d.path);
  return PAGES.find((p) => FIELDS_ON[p].test(field)) ?? 'review';
}

export function asPage(value: string | null): Page {
  return PAGES.find((p) => p === value) ?? 'service';
}

export function asStrategy(value: string | null): RolloutStrategyKind {
  return STRATEGIES.find((s) => s.id === value)?.id ?? 'canary';
}
