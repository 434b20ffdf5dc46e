import { describe, expect, it } from 'vitest';
import { initialState, statusOf, type AnalysisPoint } from '../../src/index.js';
import { INTERVAL, last, pass, rollout, run } from './fixtures.js';

describe('statusOf', () => {
  it('reports a rollout as the API, the CLI and the dashboard show it', () => {
    const r = rollout('{ blueGreen: { iterations: 1, scaleDownDelay: 1m } }');
    const os = run(r, [pass(INTERVAL)]);
    const points = os.flatMap((o) => (o.point ? [o.point] : [])) as AnalysisPoint[];
    expect(statusOf(r, last(os).state, points)).toEqual({
      namespace: 'default',
      name: 'reviews-v3',
      service: 'reviews',
      from: 'v1',
      to: 'v3',
      strategy: 'blueGreen',
      phase: 'promoted',
      step: 0,
      steps: 1,
      traffic: { kind: 'weights', from: 0, to: 100 },
      failedChecks: 0,
      threshold: 2,
      attempt: 1,
      startedAt: 0,
      updatedAt: INTERVAL,
      scaleDownAt: INTERVAL + 60_000,
      message: 'the 1 check passed; switched: 100 % to v3; v1 stays ready for 1m (abort rolls back at once)',
      analysis: points,
    });
    expect(points).toHaveLength(1);
  });

  it('starts at step 1 with the plan of the first step', () => {
    const r = rollout('{ canary: { steps: [5, 50] } }');
    const s = initialState(r, 1234);
    expect(s).toEqual({
      phase: 'progressing',
      step: 0,
      failedChecks: 0,
      attempt: 1,
      startedAt: 1234,
      stepStartedAt: 1234,
      updatedAt: 1234,
      message: 'started: reviews v1 → v3, canary in 2 steps every 30s; 5 % to v3',
    });
    expect(statusOf(r, s, []).traffic).toEqual({ kind: 'weights', from: 95, to: 5 });
  });
});
