import { expect } from 'vitest';
import {
  advance,
  loadTexts,
  startRollout,
  type MetricSample,
  type PlanOutcome,
  type Rollout,
  type RolloutCommand,
  type RolloutInput,
  type RolloutState,
  type WebhookType,
} from '../../src/index.js';

/** The reviews service with three versions; rollouts go from v1 to v3. */
export const SERVICE = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews }
spec: { ports: [{ port: 80 }], versions: { v1: { labels: { v: "1" } }, v2: { labels: { v: "2" } }, v3: { labels: { v: "3" } } } }
`;

export const ANALYSIS = `analysis:
    interval: 30s
    threshold: 2
    progressDeadline: 5m
    metrics: [{ name: success-rate, min: 99 }, { name: latency-p99, max: 500ms }]`;

/** A Rollout of reviews v1 → v3 with `strategy` (flow YAML) and extra spec lines; must load without diagnostics. */
export function rollout(strategy: string, extra = ANALYSIS): Rollout {
  const text = `${SERVICE}---
apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: reviews-v3 }
spec:
  service: reviews
  from: v1
  to: v3
  strategy: ${strategy}
  ${extra}
`;
  const result = loadTexts([{ file: 'rollout.yaml', text }]);
  expect(result.diagnostics).toEqual([]);
  return result.set.rollouts[0]!.object;
}

export const S = 1000;
export const INTERVAL = 30 * S;

export const from: MetricSample = { requests: 500, values: { 'success-rate': 100, 'latency-p99': 80 } };
export const healthy: MetricSample = { requests: 120, values: { 'success-rate': 99.9, 'latency-p99': 120 } };
export const failing: MetricSample = { requests: 120, values: { 'success-rate': 91.23, 'latency-p99': 120 } };
export const slow: MetricSample = { requests: 120, values: { 'success-rate': 99.5, 'latency-p99': 812 } };

export const pass = (at: number): RolloutInput => ({ kind: 'analysis', now: at, from, to: healthy });
export const fail = (at: number): RolloutInput => ({ kind: 'analysis', now: at, from, to: failing });
export const noData = (at: number, requests = 0): RolloutInput => ({
  kind: 'analysis',
  now: at,
  from,
  to: { requests, values: requests ? { 'success-rate': 100, 'latency-p99': 10 } : {} },
});
export const providerError = (at: number): RolloutInput => ({
  kind: 'analysis',
  now: at,
  from,
  to: { error: 'connect ECONNREFUSED 127.0.0.1:9090' },
});
export const tick = (at: number): RolloutInput => ({ kind: 'tick', now: at });
export const command = (c: RolloutCommand, at: number): RolloutInput => ({ kind: 'command', now: at, command: c });
export const webhook = (type: WebhookType, ok: boolean, at: number, detail = ok ? '' : 'approve: HTTP 503'): RolloutInput => ({
  kind: 'webhook',
  now: at,
  type,
  ok,
  detail,
});

/** Feeds inputs in order from the rollout's start at 0; `restart` round-trips the state through JSON between inputs. */
export function run(r: Rollout, inputs: readonly RolloutInput[], restart = false): PlanOutcome[] {
  const outcomes: PlanOutcome[] = [startRollout(r, 0)];
  let state: RolloutState = outcomes[0]!.state;
  for (const input of inputs) {
    if (restart) state = JSON.parse(JSON.stringify(state)) as RolloutState;
    const o = advance(r, state, input);
    outcomes.push(o);
    state = o.state;
  }
  return outcomes;
}

export const last = (os: readonly PlanOutcome[]): PlanOutcome => os[os.length - 1]!;
export const kinds = (os: readonly PlanOutcome[]): string[] => os.flatMap((o) => o.events.map((e) => e.kind));
export const reasons = (os: readonly PlanOutcome[]): string[] => os.flatMap((o) => o.events.map((e) => e.reason));

/** Walks to a state: the outcome after `inputs`. */
export function stateAfter(r: Rollout, inputs: readonly RolloutInput[]): RolloutState {
  return last(run(r, inputs)).state;
}
