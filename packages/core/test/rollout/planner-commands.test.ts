import { describe, expect, it } from 'vitest';
import { advance, type Rollout, type RolloutCommand, type RolloutInput } from '../../src/index.js';
import { INTERVAL, command, fail, kinds, last, noData, pass, rollout, run, stateAfter, tick, webhook } from './fixtures.js';

const at = (n: number) => n * INTERVAL;
const canary = rollout('{ canary: { steps: [20, 50] } }');
const blueGreen = rollout('{ blueGreen: { iterations: 1, scaleDownDelay: 1m } }');
const gated = rollout(
  '{ canary: { steps: [20, 50] } }',
  `analysis: { threshold: 2, metrics: [{ name: success-rate, min: 99 }] }
  webhooks:
    - { name: load-test, type: pre-rollout, url: "http://127.0.0.1:9/pre" }
    - { name: approve, type: confirm-promotion, url: "http://127.0.0.1:9/approve" }
    - { name: announce, type: post-rollout, url: "http://127.0.0.1:9/post" }
    - { name: page, type: rollback, url: "http://127.0.0.1:9/rollback" }`,
);

/** Ways to reach each phase of the canary, named after it. */
const PHASES: Record<string, { r: Rollout; inputs: RolloutInput[] }> = {
  progressing: { r: canary, inputs: [pass(at(1))] },
  'paused (user)': { r: canary, inputs: [pass(at(1)), command('pause', at(1) + 5)] },
  'waiting (confirm-promotion)': { r: gated, inputs: [webhook('pre-rollout', true, 5), pass(at(1)), pass(at(2))] },
  promoted: { r: canary, inputs: [pass(at(1)), pass(at(2))] },
  'rolled-back': { r: canary, inputs: [fail(at(1)), fail(at(2))] },
  aborted: { r: canary, inputs: [command('abort', at(1))] },
};

/** [phase, command, the phase after it, or the refusal]. */
const TABLE: [string, RolloutCommand, string][] = [
  ['progressing', 'promote', 'promoted'],
  ['progressing', 'pause', 'paused'],
  ['progressing', 'resume', 'refused: cannot resume reviews-v3: it is progressing, not paused'],
  ['progressing', 'abort', 'aborted'],
  ['progressing', 'retry', 'refused: cannot retry reviews-v3: it is progressing; retry follows a rollback or an abort'],
  ['paused (user)', 'promote', 'promoted'],
  ['paused (user)', 'pause', 'refused: cannot pause reviews-v3: it is already paused; use resume or promote'],
  ['paused (user)', 'resume', 'progressing'],
  ['paused (user)', 'abort', 'aborted'],
  ['paused (user)', 'retry', 'refused: cannot retry reviews-v3: it is paused; retry follows a rollback or an abort'],
  ['waiting (confirm-promotion)', 'promote', 'promoted'],
  ['waiting (confirm-promotion)', 'pause', 'paused'],
  ['waiting (confirm-promotion)', 'resume', 'refused: cannot resume reviews-v3: it is waiting, not paused'],
  ['waiting (confirm-promotion)', 'abort', 'aborted'],
  ['waiting (confirm-promotion)', 'retry', 'refused: cannot retry reviews-v3: it is waiting; retry follows a rollback or an abort'],
  ['promoted', 'promote', 'refused: cannot promote reviews-v3: it is already promoted (100 % to v3)'],
  ['promoted', 'pause', 'refused: cannot pause reviews-v3: it is already promoted (100 % to v3)'],
  ['promoted', 'resume', 'refused: cannot resume reviews-v3: it is promoted, not paused'],
  ['promoted', 'abort', 'refused: cannot abort reviews-v3: it is already promoted; start a rollout back to v1 instead'],
  ['promoted', 'retry', 'refused: cannot retry reviews-v3: it is promoted; retry follows a rollback or an abort'],
  ['rolled-back', 'promote', 'refused: cannot promote reviews-v3: it is rolled-back (all traffic on v1); use retry to start it again'],
  ['rolled-back', 'pause', 'refused: cannot pause reviews-v3: it is rolled-back (all traffic on v1); use retry to start it again'],
  ['rolled-back', 'resume', 'refused: cannot resume reviews-v3: it is rolled-back, not paused'],
  ['rolled-back', 'abort', 'refused: cannot abort reviews-v3: it is already rolled-back'],
  ['rolled-back', 'retry', 'progressing'],
  ['aborted', 'promote', 'refused: cannot promote reviews-v3: it is aborted (all traffic on v1); use retry to start it again'],
  ['aborted', 'pause', 'refused: cannot pause reviews-v3: it is aborted (all traffic on v1); use retry to start it again'],
  ['aborted', 'resume', 'refused: cannot resume reviews-v3: it is aborted, not paused'],
  ['aborted', 'abort', 'refused: cannot abort reviews-v3: it is already aborted'],
  ['aborted', 'retry', 'progressing'],
];

describe('rollout planner: manual commands in every phase', () => {
  it.each(TABLE)('%s + %s → %s', (phase, cmd, expected) => {
    const { r, inputs } = PHASES[phase]!;
    const before = stateAfter(r, inputs);
    expect(phase.startsWith(before.phase)).toBe(true);
    const o = advance(r, before, command(cmd, at(10)));
    if (expected.startsWith('refused: ')) {
      expect(o.refused).toBe(expected.slice('refused: '.length));
      expect(o.state).toBe(before);
      expect(o.events).toEqual([]);
    } else {
      expect(o.refused).toBeUndefined();
      expect(o.state.phase).toBe(expected);
      expect(o.events.length).toBeGreaterThan(0);
    }
  });

  it('promote skips every remaining step, pause and gate, and notifies post-rollout', () => {
    const o = advance(gated, stateAfter(gated, []), command('promote', 5));
    expect(o.state.phase).toBe('promoted');
    expect(o.traffic).toEqual({ kind: 'weights', from: 0, to: 100 });
    expect(o.events.map((e) => e.reason)).toEqual(['promoted by user; promoted: 100 % to v3']);
    expect(o.notify).toEqual(['post-rollout']);
  });

  it('abort moves all traffic back to the old version and notifies rollback', () => {
    const o = advance(gated, stateAfter(gated, [webhook('pre-rollout', true, 5)]), command('abort', 10));
    expect(o.traffic).toEqual({ kind: 'weights', from: 100, to: 0 });
    expect(o.events.map((e) => [e.kind, e.reason])).toEqual([['aborted', 'aborted by user; all traffic back to v1']]);
    expect(o.notify).toEqual(['rollback']);
  });

  it('notifies only the informational webhooks a rollout declares', () => {
    expect(advance(canary, stateAfter(canary, []), command('promote', 5)).notify).toEqual([]);
    expect(advance(canary, stateAfter(canary, []), command('abort', 5)).notify).toEqual([]);
  });

  it('a user pause holds the weights, ignores analysis, and resume restarts the deadline', () => {
    const os = run(canary, [
      pass(at(1)),
      command('pause', at(1) + 5),
      fail(at(2)),
      fail(at(3)),
      tick(at(1) + 6 * 60_000),
      command('resume', at(20)),
    ]);
    expect(os.slice(2).map((o) => o.traffic)).toEqual(Array(5).fill({ kind: 'weights', from: 50, to: 50 }));
    expect(os[3]!.state.failedChecks).toBe(0);
    expect(os[5]!.state.phase).toBe('paused'); // the deadline does not run while paused
    expect(last(os).state).toMatchObject({ phase: 'progressing', step: 1, stepStartedAt: at(20) });
    expect(last(os).events.map((e) => e.reason)).toEqual(['resumed by user']);
  });

  it('retry starts a new attempt at step 1 with no failed checks', () => {
    const os = run(canary, [pass(at(1)), fail(at(2)), fail(at(3)), command('retry', at(4))]);
    expect(last(os).state).toMatchObject({ phase: 'progressing', step: 0, failedChecks: 0, attempt: 2, stepStartedAt: at(4) });
    expect(last(os).traffic).toEqual({ kind: 'weights', from: 80, to: 20 });
    expect(last(os).events.map((e) => [e.kind, e.attempt, e.reason])).toEqual([
      ['retried', 2, 'retried by user: attempt 2, back to step 1'],
    ]);
  });

  it('blue/green: abort after the switch and before scaleDownAt rolls back at once', () => {
    const switched = stateAfter(blueGreen, [pass(at(1))]);
    expect(switched.scaleDownAt).toBe(at(1) + 60_000);
    const o = advance(blueGreen, switched, command('abort', at(1) + 59_000));
    expect(o.state.phase).toBe('aborted');
    expect(o.traffic).toEqual({ kind: 'weights', from: 100, to: 0 });
    expect(o.events[0]!.reason).toBe('aborted by user 1s before v1 was released; all traffic back to v1 at once');
  });

  it('blue/green: abort at or after scaleDownAt is refused', () => {
    const switched = stateAfter(blueGreen, [pass(at(1))]);
    const o = advance(blueGreen, switched, command('abort', at(1) + 60_000));
    expect(o.refused).toBe('cannot abort reviews-v3: v1 was already released; start a rollout back to v1 instead');
    expect(o.state).toBe(switched);
    const released = stateAfter(blueGreen, [pass(at(1)), tick(at(1) + 60_000)]);
    expect(advance(blueGreen, released, command('abort', at(1) + 60_001)).refused).toBe(
      'cannot abort reviews-v3: v1 was already released; start a rollout back to v1 instead',
    );
  });
});

describe('rollout planner: step pauses', () => {
  const timed = rollout('{ canary: { steps: [{ weight: 20, pause: { duration: 2m } }, 50] } }');
  const untilPromote = rollout('{ canary: { steps: [{ weight: 20, pause: {} }, 50, { weight: 80, pause: {} }] } }');

  it('a timed pause holds the step after its analysis passed, then goes on by itself', () => {
    const os = run(timed, [pass(at(1)), pass(at(2)), tick(at(1) + 120_000 - 1), tick(at(1) + 120_000)]);
    expect(os[1]!.events.map((e) => e.reason)).toEqual([
      'success-rate 99.9 % ≥ 99 %, latency-p99 120 ms ≤ 500 ms (step 1 of 2 passed)',
      'step 1 of 2 passed; pausing 2m',
    ]);
    expect(os[1]!.state).toMatchObject({ phase: 'paused', pausedBy: 'step', pauseUntil: at(1) + 120_000 });
    expect(os[2]!.events).toEqual([]); // analysis during the pause does not count
    expect(os[3]!.state.phase).toBe('paused');
    expect(kinds([os[4]!])).toEqual(['resumed', 'step']);
    expect(os[4]!.traffic).toEqual({ kind: 'weights', from: 50, to: 50 });
    expect(os[4]!.state).toMatchObject({ phase: 'progressing', step: 1, stepStartedAt: at(1) + 120_000 });
    expect(os[4]!.state.pauseUntil).toBeUndefined();
  });

  it('pause during a timed step pause holds it until resume', () => {
    const os = run(timed, [pass(at(1)), command('pause', at(2)), tick(at(10)), command('resume', at(11))]);
    expect(os[2]!.state).toMatchObject({ phase: 'paused', pausedBy: 'step' });
    expect(os[2]!.state.pauseUntil).toBeUndefined();
    expect(os[3]!.events).toEqual([]);
    expect(os[4]!.state).toMatchObject({ phase: 'progressing', step: 1 });
  });

  it('a pause without duration waits; resume goes on one step, promote finishes', () => {
    const os = run(untilPromote, [pass(at(1)), tick(at(100))]);
    expect(os[1]!.events[1]!.reason).toBe('step 1 of 3 passed; paused until resume or promote');
    expect(last(os).state).toMatchObject({ phase: 'paused', pausedBy: 'step', step: 0 });
    expect(last(os).traffic).toEqual({ kind: 'weights', from: 80, to: 20 });
    const resumed = advance(untilPromote, last(os).state, command('resume', at(101)));
    expect(resumed.state).toMatchObject({ phase: 'progressing', step: 1 });
    expect(resumed.events.map((e) => e.kind)).toEqual(['resumed', 'step']);
    const promoted = advance(untilPromote, last(os).state, command('promote', at(101)));
    expect(promoted.state.phase).toBe('promoted');
  });

  it('a pause without duration on the last step holds promotion until resume', () => {
    const os = run(untilPromote, [pass(at(1)), command('resume', at(2)), pass(at(3)), pass(at(4)), tick(at(100))]);
    expect(last(os).state).toMatchObject({ phase: 'paused', step: 2 });
    expect(last(os).traffic).toEqual({ kind: 'weights', from: 20, to: 80 });
    const o = advance(untilPromote, last(os).state, command('resume', at(101)));
    expect(o.state.phase).toBe('promoted');
    expect(o.events.map((e) => e.reason)).toEqual(['resumed by user after the step pause', 'all 3 steps passed; promoted: 100 % to v3']);
  });
});

describe('rollout planner: webhook gates', () => {
  it('pre-rollout holds the first step: all traffic on the old version until its webhooks pass', () => {
    const os = run(gated, [pass(at(1)), tick(at(30)), webhook('pre-rollout', false, at(31)), webhook('pre-rollout', true, at(32))]);
    expect(os[0]!.state).toMatchObject({ phase: 'waiting', pendingWebhook: 'pre-rollout' });
    expect(os[0]!.events[0]!.reason).toBe('started: reviews v1 → v3, canary in 2 steps every 30s; waiting for the pre-rollout webhooks');
    expect(os.slice(0, 4).map((o) => o.traffic)).toEqual(Array(4).fill({ kind: 'weights', from: 100, to: 0 }));
    expect(os[1]!.events).toEqual([]);
    expect(os[2]!.state.phase).toBe('waiting'); // a gate has no deadline: it may be a manual approval
    expect(os[3]!.events.map((e) => [e.kind, e.reason])).toEqual([
      ['webhook-failed', 'pre-rollout webhook failed: approve: HTTP 503; retried every interval'],
    ]);
    expect(os[4]!.events.map((e) => [e.kind, e.reason])).toEqual([
      ['webhook-passed', 'pre-rollout webhooks passed'],
      ['step', 'step 1 of 2: 20 % to v3'],
    ]);
    expect(os[4]!.state).toMatchObject({ phase: 'progressing', step: 0, stepStartedAt: at(32) });
  });

  it('records a failing gate once per distinct answer, not once per call', () => {
    const os = run(gated, [
      webhook('pre-rollout', false, 1),
      webhook('pre-rollout', false, 2),
      webhook('pre-rollout', false, 3, 'approve: HTTP 500'),
    ]);
    expect(os.slice(1).map((o) => o.events.length)).toEqual([1, 0, 1]);
  });

  it('confirm-promotion holds promotion at the last step until its webhooks pass', () => {
    const os = run(gated, [
      webhook('pre-rollout', true, 1),
      pass(at(1)),
      pass(at(2)),
      webhook('confirm-promotion', false, at(3)),
      webhook('confirm-promotion', true, at(4)),
    ]);
    expect(os[3]!.state).toMatchObject({ phase: 'waiting', pendingWebhook: 'confirm-promotion', step: 1 });
    expect(os[3]!.events.map((e) => e.reason)).toContain('all 2 steps passed; waiting for the confirm-promotion webhooks');
    expect(os[3]!.traffic).toEqual({ kind: 'weights', from: 50, to: 50 });
    expect(os[4]!.state.phase).toBe('waiting');
    expect(last(os).state.phase).toBe('promoted');
    expect(last(os).events.map((e) => e.kind)).toEqual(['webhook-passed', 'promoted']);
    expect(last(os).notify).toEqual(['post-rollout']);
  });

  it('ignores a webhook result for a gate the rollout is not at', () => {
    const s = stateAfter(gated, [webhook('pre-rollout', true, 1)]);
    const o = advance(gated, s, webhook('confirm-promotion', true, 2));
    expect(o.state).toBe(s);
    expect(o.events).toEqual([]);
  });

  it('pause at a gate and resume returns to the same gate', () => {
    const os = run(gated, [command('pause', 1), webhook('pre-rollout', true, 2), command('resume', 3)]);
    expect(os[1]!.state).toMatchObject({ phase: 'paused', pendingWebhook: 'pre-rollout' });
    expect(os[1]!.traffic).toEqual({ kind: 'weights', from: 100, to: 0 });
    expect(os[2]!.events).toEqual([]);
    expect(last(os).state).toMatchObject({ phase: 'waiting', pendingWebhook: 'pre-rollout' });
  });

  it('retry goes back to the pre-rollout gate', () => {
    const os = run(gated, [webhook('pre-rollout', true, 1), fail(at(1)), fail(at(2)), command('retry', at(3))]);
    expect(os[3]!.notify).toEqual(['rollback']);
    expect(last(os).state).toMatchObject({ phase: 'waiting', pendingWebhook: 'pre-rollout', attempt: 2 });
    expect(last(os).events[0]!.reason).toBe('retried by user: attempt 2, waiting for the pre-rollout webhooks');
  });

  it('a deadline during no data notifies the rollback webhooks', () => {
    const os = run(gated, [webhook('pre-rollout', true, 0), noData(at(1)), tick(10 * 60_000)]);
    expect(last(os).events.map((e) => e.kind)).toEqual(['deadline-exceeded']);
    expect(last(os).notify).toEqual(['rollback']);
  });
});

describe('rollout planner: commands for every strategy', () => {
  const cohort = { kind: 'cohort', matches: [{ cookie: { name: 'beta', value: '1' } }] };
  const STRATEGIES: [string, Rollout, unknown][] = [
    ['canary', canary, { kind: 'weights', from: 80, to: 20 }],
    ['abTest', rollout('{ abTest: { match: [{ cookie: { name: beta, value: "1" } }], iterations: 2 } }'), cohort],
    [
      'blueGreen',
      rollout('{ blueGreen: { iterations: 2, mirror: true } }'),
      { kind: 'preview', header: 'x-anymesh-preview', mirror: true },
    ],
  ];

  it.each(STRATEGIES)('%s: pause holds the plan, resume goes on, promote finishes, abort and retry', (_, r, plan) => {
    const start = stateAfter(r, []);
    const paused = advance(r, start, command('pause', 1));
    expect([paused.state.phase, paused.traffic]).toEqual(['paused', plan]);
    expect(advance(r, paused.state, pass(at(1))).events).toEqual([]);
    const resumed = advance(r, paused.state, command('resume', 2));
    expect([resumed.state.phase, resumed.traffic]).toEqual(['progressing', plan]);
    const promoted = advance(r, start, command('promote', 3));
    expect([promoted.state.phase, promoted.traffic]).toEqual(['promoted', { kind: 'weights', from: 0, to: 100 }]);
    expect(promoted.events.map((e) => e.kind)).toEqual([r === STRATEGIES[2]![1] ? 'switched' : 'promoted']);
    const aborted = advance(r, start, command('abort', 4));
    expect([aborted.state.phase, aborted.traffic]).toEqual(['aborted', { kind: 'weights', from: 100, to: 0 }]);
    const retried = advance(r, aborted.state, command('retry', 5));
    expect([retried.state.phase, retried.state.attempt, retried.traffic]).toEqual(['progressing', 2, plan]);
  });
});
