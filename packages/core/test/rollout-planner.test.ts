import { describe, expect, it } from 'vitest';
import { canaryWeights, INITIAL_ROLLOUT_STATE, loadTexts, planNext, type Rollout, type RolloutState } from '../src/index.js';

function rollout(
  strategy: string,
  analysis = 'analysis: { threshold: 2, metrics: [{ name: success-rate, min: 99 }, { name: latency-p99, max: 500ms }] }',
): Rollout {
  const text = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews }
spec: { ports: [{ port: 80 }], versions: { v1: { labels: { v: "1" } }, v2: { labels: { v: "2" } } } }
---
apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: r }
spec:
  service: reviews
  from: v1
  to: v2
  strategy: ${strategy}
  ${analysis}
`;
  const result = loadTexts([{ file: 'r.yaml', text }]);
  expect(result.diagnostics).toEqual([]);
  return result.set.rollouts[0]!.object;
}

const good = { requests: 100, values: { 'success-rate': 99.9, 'latency-p99': 120 } };
const bad = { requests: 100, values: { 'success-rate': 80, 'latency-p99': 120 } };

describe('rollout planner', () => {
  it('derives canary weights from stepWeight and maxWeight, or takes explicit steps', () => {
    expect(canaryWeights(rollout('{ canary: { stepWeight: 10, maxWeight: 50 } }'))).toEqual([10, 20, 30, 40, 50]);
    expect(canaryWeights(rollout('{ canary: { stepWeight: 30 } }'))).toEqual([30, 60, 90, 100]);
    expect(canaryWeights(rollout('{ canary: { steps: [5, 25, 50] } }'))).toEqual([5, 25, 50]);
  });

  it('walks a healthy canary through every step and promotes it', () => {
    const r = rollout('{ canary: { steps: [10, 50] } }');
    let state: RolloutState = INITIAL_ROLLOUT_STATE;
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = planNext(r, state, good);
      state = next.state;
      seen.push(`${state.phase}:${JSON.stringify(next.traffic)}`);
    }
    expect(seen).toEqual([
      'progressing:{"kind":"weights","from":50,"to":50}',
      'promoted:{"kind":"weights","from":0,"to":100}',
      'promoted:{"kind":"weights","from":0,"to":100}',
    ]);
  });

  it('rolls back after threshold failed checks and says which bound failed', () => {
    const r = rollout('{ canary: { stepWeight: 10 } }');
    const first = planNext(r, INITIAL_ROLLOUT_STATE, bad);
    expect(first.state).toEqual({ phase: 'progressing', step: 0, failedChecks: 1 });
    expect(first.reason).toContain('success-rate 80 < min 99');
    const second = planNext(r, first.state, bad);
    expect(second.state.phase).toBe('rolled-back');
    expect(second.traffic).toEqual({ kind: 'weights', from: 100, to: 0 });
  });

  it('treats a latency bound as a duration and fails slow versions', () => {
    const r = rollout('{ canary: { stepWeight: 50 } }');
    const slow = planNext(r, INITIAL_ROLLOUT_STATE, { requests: 50, values: { 'success-rate': 100, 'latency-p99': 750 } });
    expect(slow.reason).toContain('latency-p99 750 > max 500ms');
  });

  it('waits without judging when the new version saw too few requests', () => {
    const r = rollout('{ canary: { stepWeight: 50 } }');
    const waiting = planNext(r, INITIAL_ROLLOUT_STATE, { requests: 3, values: {} });
    expect(waiting.state).toEqual(INITIAL_ROLLOUT_STATE);
    expect(waiting.reason).toMatch(/^waiting/);
  });

  it('sends only matching requests to the new version during an A/B test and promotes after its iterations', () => {
    const r = rollout('{ abTest: { match: [{ headers: { x-beta: { exact: "1" } } }], iterations: 2 } }');
    const one = planNext(r, INITIAL_ROLLOUT_STATE, good);
    expect(one.traffic).toEqual({ kind: 'match', toGetsMatching: true, previewOnly: false });
    expect(planNext(r, one.state, good).state.phase).toBe('promoted');
  });

  it('keeps blue/green traffic on the old version until the switch', () => {
    const r = rollout('{ blueGreen: { iterations: 1 } }');
    expect(planNext(r, INITIAL_ROLLOUT_STATE, good)).toMatchObject({ state: { phase: 'promoted' }, traffic: { kind: 'weights', to: 100 } });
  });
});
