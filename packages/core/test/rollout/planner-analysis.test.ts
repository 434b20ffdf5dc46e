import { describe, expect, it } from 'vitest';
import { stepCount, trafficFor } from '../../src/index.js';
import { INTERVAL, fail, healthy, kinds, last, noData, pass, providerError, reasons, rollout, run, slow, tick } from './fixtures.js';

const at = (n: number) => n * INTERVAL;
const passes = (n: number, from = 1) => Array.from({ length: n }, (_, i) => pass(at(from + i)));

const STRATEGIES = {
  canary: rollout('{ canary: { steps: [20, 50] } }'),
  'canary (stepWeight)': rollout('{ canary: { stepWeight: 30, maxWeight: 60 } }'),
  abTest: rollout('{ abTest: { match: [{ headers: { x-beta: { exact: "1" } } }], iterations: 2 } }'),
  blueGreen: rollout('{ blueGreen: { iterations: 2, scaleDownDelay: 1m } }'),
};
const ALL = Object.entries(STRATEGIES);

describe('rollout planner: analysis outcomes for every strategy', () => {
  it('counts canary steps, A/B and blue/green iterations', () => {
    expect(stepCount(STRATEGIES.canary)).toBe(2);
    expect(stepCount(STRATEGIES['canary (stepWeight)'])).toBe(2);
    expect(stepCount(STRATEGIES.abTest)).toBe(2);
    expect(stepCount(STRATEGIES.blueGreen)).toBe(2);
    expect(stepCount(rollout('{ canary: { stepWeight: 30 } }'))).toBe(4); // 30, 60, 90, 100
    expect(stepCount(rollout('{ abTest: { match: [{ cookie: { name: a, value: b } }] } }'))).toBe(10);
    expect(stepCount(rollout('{ blueGreen: {} }'))).toBe(5);
  });

  it('walks a healthy canary through its weights and promotes it to 100 %', () => {
    const os = run(STRATEGIES.canary, passes(2));
    expect(os.map((o) => o.traffic)).toEqual([
      { kind: 'weights', from: 80, to: 20 },
      { kind: 'weights', from: 50, to: 50 },
      { kind: 'weights', from: 0, to: 100 },
    ]);
    expect(kinds(os)).toEqual(['started', 'check-passed', 'step', 'check-passed', 'promoted']);
    expect(reasons(os)).toEqual([
      'started: reviews v1 → v3, canary in 2 steps every 30s; 20 % to v3',
      'success-rate 99.9 % ≥ 99 %, latency-p99 120 ms ≤ 500 ms (step 1 of 2 passed)',
      'step 2 of 2: 50 % to v3',
      'success-rate 99.9 % ≥ 99 %, latency-p99 120 ms ≤ 500 ms (step 2 of 2 passed)',
      'all 2 steps passed; promoted: 100 % to v3',
    ]);
    expect(last(os).state.phase).toBe('promoted');
  });

  it('derives stepWeight steps up to maxWeight, then promotes', () => {
    const os = run(STRATEGIES['canary (stepWeight)'], passes(2));
    expect(os.map((o) => (o.traffic.kind === 'weights' ? o.traffic.to : -1))).toEqual([30, 60, 100]);
  });

  it.each([
    ['abTest', { kind: 'cohort', matches: [{ headers: { 'x-beta': { exact: '1' } } }] }],
    ['blueGreen', { kind: 'preview', header: 'x-anymesh-preview', mirror: false }],
  ] as const)('%s keeps one plan for its iterations, then promotes', (name, plan) => {
    const os = run(STRATEGIES[name], passes(2));
    expect(os.map((o) => o.traffic)).toEqual([plan, plan, { kind: 'weights', from: 0, to: 100 }]);
    expect(os[1]!.state.step).toBe(1);
    expect(os[1]!.events.map((e) => e.reason)).toEqual(['success-rate 99.9 % ≥ 99 %, latency-p99 120 ms ≤ 500 ms (check 1 of 2 passed)']);
  });

  it('switches blue/green at once and keeps the old version ready until scaleDownAt, then releases it', () => {
    const os = run(STRATEGIES.blueGreen, [...passes(2), tick(at(2) + 59_999), tick(at(2) + 60_000), tick(at(2) + 90_000)]);
    const switched = os[2]!;
    expect(switched.events.map((e) => [e.kind, e.reason])).toEqual([
      ['check-passed', 'success-rate 99.9 % ≥ 99 %, latency-p99 120 ms ≤ 500 ms (check 2 of 2 passed)'],
      ['switched', 'all 2 checks passed; switched: 100 % to v3; v1 stays ready for 1m (abort rolls back at once)'],
    ]);
    expect(switched.state.scaleDownAt).toBe(at(2) + 60_000);
    expect(os[3]!.events).toEqual([]);
    expect(os[4]!.events.map((e) => [e.kind, e.reason])).toEqual([['scaled-down', 'v1 released: abort no longer rolls back instantly']]);
    expect(os[4]!.state.scaleDownAt).toBeUndefined();
    expect(os[5]!.events).toEqual([]);
  });

  it.each(ALL)('%s: threshold failed checks roll back, with the metric, its value and the count in the reason', (_, r) => {
    const os = run(r, [fail(at(1)), fail(at(2))]);
    expect(os[1]!.events.map((e) => [e.kind, e.reason])).toEqual([['check-failed', 'success-rate 91.2 % < 99 % (1 of 2 failed checks)']]);
    expect(os[1]!.state.failedChecks).toBe(1);
    expect(os[2]!.events.map((e) => [e.kind, e.phase, e.reason])).toEqual([
      ['rolled-back', 'rolled-back', 'rolled back: success-rate 91.2 % < 99 % (2 of 2 failed checks); all traffic back to v1'],
    ]);
    expect(os[2]!.traffic).toEqual({ kind: 'weights', from: 100, to: 0 });
    expect(os[2]!.events[0]!.checks).toEqual([
      { metric: 'success-rate', value: 91.23, min: 99, ok: false },
      { metric: 'latency-p99', value: 120, max: 500, ok: true },
    ]);
    expect(os[2]!.point).toMatchObject({ at: at(2), step: 0, verdict: 'fail' });
  });

  it('names a latency failure in milliseconds against a duration bound', () => {
    const os = run(STRATEGIES.canary, [{ kind: 'analysis', now: at(1), from: healthy, to: slow }]);
    expect(os[1]!.events[0]!.reason).toBe('latency-p99 812 ms > 500 ms (1 of 2 failed checks)');
  });

  it('shows enough decimals that a failing value never reads like its bound', () => {
    const r = rollout('{ canary: { steps: [20] } }', 'analysis: { threshold: 5, metrics: [{ name: success-rate, min: 99.95 }] }');
    const os = run(r, [{ kind: 'analysis', now: at(1), from: healthy, to: { requests: 50, values: { 'success-rate': 99.949 } } }]);
    expect(os[1]!.events[0]!.reason).toBe('success-rate 99.949 % < 99.95 % (1 of 5 failed checks)');
  });

  it('counts failed checks across steps of one attempt (a flaky version still rolls back)', () => {
    const os = run(STRATEGIES.canary, [fail(at(1)), pass(at(2)), fail(at(3))]);
    expect(last(os).state.phase).toBe('rolled-back');
    expect(last(os).state.step).toBe(1);
  });

  it.each(ALL)('%s: too few requests is no data — neither a pass nor a failed check, however long it lasts', (_, r) => {
    const os = run(r, [noData(at(1)), noData(at(2), 9), noData(at(3))]);
    expect(os[1]!.events.map((e) => [e.kind, e.reason])).toEqual([
      ['no-data', 'no data: 0 requests reached reviews v3 in the last 30s (at least 10 needed)'],
    ]);
    expect(os[2]!.events[0]!.reason).toBe('no data: 9 requests reached reviews v3 in the last 30s (at least 10 needed)');
    expect(os[1]!.point).toEqual({
      at: at(1),
      step: 0,
      from: os[1]!.point!.from,
      to: { requests: 0, values: {} },
      verdict: 'no-data',
      checks: [],
    });
    expect(last(os).state).toMatchObject({ phase: 'progressing', step: 0, failedChecks: 0 });
    expect(last(os).traffic).toEqual(os[0]!.traffic);
    expect(last(os).state.message).toBe('no data: 0 requests reached reviews v3 in the last 30s (at least 10 needed)');
  });

  it.each(ALL)('%s: a metrics provider error is no data with the error in the reason', (_, r) => {
    const os = run(r, [providerError(at(1))]);
    expect(os[1]!.events.map((e) => [e.kind, e.reason])).toEqual([
      ['no-data', 'no data: metrics of reviews v3 unavailable: connect ECONNREFUSED 127.0.0.1:9090'],
    ]);
    expect(os[1]!.point?.verdict).toBe('no-data');
    expect(os[1]!.state.failedChecks).toBe(0);
  });

  it('treats a metric without a value as no data, not as a pass', () => {
    const r = STRATEGIES.canary;
    const os = run(r, [{ kind: 'analysis', now: at(1), from: healthy, to: { requests: 40, values: { 'success-rate': 100 } } }]);
    expect(os[1]!.events[0]!.reason).toBe('no data: no latency-p99 value for reviews v3 in the last 30s');
    expect(os[1]!.state.step).toBe(0);
  });

  it('fails a check whose bound is broken even when another metric has no value (a version that never answers has no latency)', () => {
    const r = STRATEGIES.canary;
    const os = run(r, [{ kind: 'analysis', now: at(1), from: healthy, to: { requests: 40, values: { 'success-rate': 0 } } }]);
    expect(os[1]!.events[0]!.kind).toBe('check-failed');
    expect(os[1]!.events[0]!.reason).toContain('success-rate 0 % < 99 % (no latency-p99 value for reviews v3 in the last 30s)');
    expect(os[1]!.point?.verdict).toBe('fail');
    expect(os[1]!.state.failedChecks).toBe(1);
  });

  it('honours minRequests: 0 (a quiet interval still decides)', () => {
    const r = rollout('{ canary: { steps: [20] } }', 'analysis: { minRequests: 0, metrics: [{ name: request-rate, min: 0 }] }');
    const os = run(r, [{ kind: 'analysis', now: at(1), from: healthy, to: { requests: 0, values: { 'request-rate': 0 } } }]);
    expect(last(os).state.phase).toBe('promoted');
  });

  it.each(ALL)('%s: a step that does not pass within progressDeadline rolls back with deadline-exceeded', (_, r) => {
    const deadline = 5 * 60_000;
    const os = run(r, [noData(at(1)), tick(deadline - 1), noData(deadline)]);
    expect(os[2]!.events).toEqual([]);
    const e = os[3]!.events;
    expect(e.map((x) => x.kind)).toEqual(['no-data', 'deadline-exceeded']);
    const label = r === STRATEGIES.canary || r === STRATEGIES['canary (stepWeight)'] ? 'step 1 of 2' : 'check 1 of 2';
    expect(e[1]!.reason).toBe(
      `deadline-exceeded: ${label} did not pass its analysis within 5m (last: no data: 0 requests reached reviews v3 in the last 30s (at least 10 needed)); all traffic back to v1`,
    );
    expect(e[1]!.phase).toBe('rolled-back');
    expect(os[3]!.traffic).toEqual({ kind: 'weights', from: 100, to: 0 });
  });

  it('restarts the deadline at each new step', () => {
    const r = STRATEGIES.canary;
    const os = run(r, [pass(4 * 60_000), tick(4 * 60_000 + 5 * 60_000 - 1), tick(9 * 60_000)]);
    expect(os[2]!.state.phase).toBe('progressing');
    expect(os[3]!.state.phase).toBe('rolled-back');
  });

  it('uses a 10m progress deadline by default', () => {
    const r = rollout('{ canary: { steps: [20] } }', 'analysis: { metrics: [{ name: success-rate, min: 99 }] }');
    expect(run(r, [tick(10 * 60_000 - 1)])[1]!.state.phase).toBe('progressing');
    expect(run(r, [tick(10 * 60_000)])[1]!.state.phase).toBe('rolled-back');
  });

  it('ignores analysis outside progressing: no point, no change', () => {
    const r = STRATEGIES.canary;
    const promoted = run(r, passes(2));
    const after = run(r, [...passes(2), fail(at(3))]);
    expect(last(after).events).toEqual([]);
    expect(last(after).point).toBeUndefined();
    expect(last(after).state).toEqual(last(promoted).state);
  });

  it('gives every event the traffic of the state it leads to', () => {
    for (const [, r] of ALL) {
      for (const o of run(r, [noData(at(1)), pass(at(2)), fail(at(3)), pass(at(4))])) {
        const lastEvent = o.events[o.events.length - 1];
        if (lastEvent) expect(lastEvent.traffic).toEqual(trafficFor(r, o.state));
        expect(o.traffic).toEqual(trafficFor(r, o.state));
      }
    }
  });
});
