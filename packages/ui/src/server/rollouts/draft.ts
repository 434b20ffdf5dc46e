import { z } from 'zod';
import { stringify } from 'yaml';
import type { DraftStep, RolloutDraft } from '../api-types.js';

const text = z.string().max(1024);
const numberOrText = z.union([z.number(), text]);

/** The wizard's input, checked only for shape: what it means is checked by core, like the CLI does. */
export const draftInput = z.object({
  namespace: text,
  name: text,
  service: text,
  from: text,
  to: text,
  strategy: z.enum(['canary', 'abTest', 'blueGreen']),
  steps: z
    .array(z.object({ weight: numberOrText, pause: z.enum(['none', 'timed', 'manual']), duration: text }))
    .max(100)
    .readonly(),
  cohort: z
    .array(z.object({ kind: z.enum(['header', 'cookie']), name: text, value: text }))
    .max(20)
    .readonly(),
  iterations: text,
  previewHeader: text,
  mirror: z.boolean(),
  scaleDownDelay: text,
  interval: text,
  threshold: text,
  minRequests: text,
  metrics: z
    .array(z.object({ name: z.enum(['success-rate', 'latency-p50', 'latency-p99', 'request-rate']), min: text, max: text }))
    .max(8)
    .readonly(),
}) satisfies z.ZodType<RolloutDraft>;

/** Typed text as the YAML a user would write: `10` is a number, `500ms` stays text, empty is left out. */
function scalar(value: number | string): number | string | undefined {
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** Drops the keys whose value is undefined, so the YAML shows only what was set. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function step(s: DraftStep): unknown {
  const weight = scalar(s.weight);
  if (s.pause === 'none') return weight;
  return defined({ weight, pause: s.pause === 'timed' ? defined({ duration: scalar(s.duration) }) : {} });
}

function strategy(d: RolloutDraft): unknown {
  const iterations = scalar(d.iterations);
  switch (d.strategy) {
    case 'canary':
      return { canary: { steps: d.steps.map(step) } };
    case 'abTest':
      return {
        abTest: defined({
          match: d.cohort.map((c) =>
            c.kind === 'cookie' ? { cookie: { name: c.name, value: c.value } } : { headers: { [c.name]: { exact: c.value } } },
          ),
          iterations,
        }),
      };
    case 'blueGreen':
      return {
        blueGreen: defined({
          iterations,
          previewHeader: scalar(d.previewHeader),
          mirror: d.mirror ? true : undefined,
          scaleDownDelay: scalar(d.scaleDownDelay),
        }),
      };
  }
}

/** The neutral Rollout the draft describes, as a plain object (not yet validated). */
export function draftToRollout(d: RolloutDraft): Record<string, unknown> {
  return {
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'Rollout',
    metadata: defined({ name: d.name, namespace: d.namespace || undefined }),
    spec: {
      service: d.service,
      from: d.from,
      to: d.to,
      strategy: strategy(d),
      analysis: defined({
        interval: scalar(d.interval),
        threshold: scalar(d.threshold),
        minRequests: scalar(d.minRequests),
        metrics: d.metrics.map((m) => defined({ name: m.name, min: scalar(m.min), max: scalar(m.max) })),
      }),
    },
  };
}

/** Block style with short flow sequences, the way the examples are written. */
export function rolloutYaml(rollout: Record<string, unknown>): string {
  return stringify(rollout, { lineWidth: 120, flowCollectionPadding: false });
}
