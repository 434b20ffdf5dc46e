import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, trafficFor, type RolloutInput, type RolloutState, type WebhookType } from '../../src/index.js';
import { INTERVAL, command, fail, noData, pass, providerError, rollout, run, tick, webhook } from './fixtures.js';

const WEBHOOKS = `analysis: { threshold: 3, progressDeadline: 3m, metrics: [{ name: success-rate, min: 99 }, { name: latency-p99, max: 500ms }] }
  webhooks:
    - { name: pre, type: pre-rollout, url: "http://127.0.0.1:9/pre" }
    - { name: approve, type: confirm-promotion, url: "http://127.0.0.1:9/approve" }
    - { name: rb, type: rollback, url: "http://127.0.0.1:9/rb" }`;

const ROLLOUTS = [
  rollout('{ canary: { steps: [10, { weight: 30, pause: { duration: 1m } }, { weight: 60, pause: {} }, 90] } }'),
  rollout('{ canary: { stepWeight: 25 } }', WEBHOOKS),
  rollout('{ abTest: { match: [{ cookie: { name: beta, value: "1" } }], iterations: 3 } }', WEBHOOKS),
  rollout('{ blueGreen: { iterations: 2, mirror: true, scaleDownDelay: 90s } }'),
];

type Make = (now: number) => RolloutInput;
const GATE: WebhookType[] = ['pre-rollout', 'confirm-promotion'];
// Passes weigh more so that sequences get deep into rollouts, not only around step 1.
const input: fc.Arbitrary<Make> = fc.oneof(
  { arbitrary: fc.constant(pass), weight: 5 },
  fc.constant(fail),
  fc.constant((now: number) => noData(now)),
  fc.constant(providerError),
  fc.constant(tick),
  ...(['promote', 'pause', 'resume', 'abort', 'retry'] as const).map((c) => fc.constant((now: number) => command(c, now))),
  {
    arbitrary: fc.tuple(fc.constantFrom(...GATE), fc.boolean()).map(
      ([type, ok]) =>
        (now: number) =>
          webhook(type, ok, now),
    ),
    weight: 2,
  },
);
/** Inputs at increasing times: gaps of 1 s to 2 min, so pauses, deadlines and scale-downs happen. */
const sequence = fc.array(fc.tuple(input, fc.integer({ min: 1, max: 120 })), { maxLength: 60 }).map((xs) => {
  let now = 0;
  return xs.map(([make, gap]) => make((now += gap * 1000)));
});

describe('rollout planner: restarts and invariants', () => {
  it.each(ROLLOUTS.map((r, i) => [i, r] as const))(
    'rollout %i: a JSON round-trip of the state before every input changes nothing',
    (_, r) => {
      fc.assert(
        fc.property(sequence, (inputs) => {
          expect(run(r, inputs, true)).toEqual(run(r, inputs, false));
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(ROLLOUTS.map((r, i) => [i, r] as const))(
    'rollout %i: within an attempt the new version’s weight never goes back while the rollout is active',
    (_, r) => {
      fc.assert(
        fc.property(sequence, (inputs) => {
          let prev: { attempt: number; to: number } | undefined;
          for (const o of run(r, inputs)) {
            const s = o.state;
            if (o.traffic.kind !== 'weights' || s.phase === 'rolled-back' || s.phase === 'aborted') continue;
            if (prev && prev.attempt === s.attempt) expect(o.traffic.to).toBeGreaterThanOrEqual(prev.to);
            prev = { attempt: s.attempt, to: o.traffic.to };
          }
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(ROLLOUTS.map((r, i) => [i, r] as const))(
    'rollout %i: traffic follows the state; final phases are all-new or all-old; refusals change nothing',
    (_, r) => {
      fc.assert(
        fc.property(sequence, (inputs) => {
          const os = run(r, inputs);
          os.forEach((o, i) => {
            expect(o.traffic).toEqual(trafficFor(r, o.state));
            if (o.state.phase === 'promoted') expect(o.traffic).toEqual({ kind: 'weights', from: 0, to: 100 });
            if (o.state.phase === 'rolled-back' || o.state.phase === 'aborted')
              expect(o.traffic).toEqual({ kind: 'weights', from: 100, to: 0 });
            for (const e of o.events) expect(e.attempt).toBe(o.state.attempt);
            if (o.refused !== undefined) {
              expect(o.state).toBe(os[i - 1]!.state);
              expect(o.events).toEqual([]);
            }
            if (o.events.length === 0 && i > 0) expect(o.state).toEqual(os[i - 1]!.state);
          });
        }),
        { numRuns: 300 },
      );
    },
  );

  it('resumes a canary mid-step after a restart with the same weights and the same next steps', () => {
    const r = ROLLOUTS[0]!;
    const at = (n: number) => n * INTERVAL;
    const before = run(r, [pass(at(1)), tick(at(1) + 60_000)]);
    const saved = JSON.stringify(before[before.length - 1]!.state);
    const restored = JSON.parse(saved) as RolloutState;
    expect(trafficFor(r, restored)).toEqual({ kind: 'weights', from: 70, to: 30 });
    expect(restored).toMatchObject({ phase: 'progressing', step: 1 });
  });
});

describe('rollout planner: a rollout edited while it runs', () => {
  it('goes on from its state when the edit leaves fewer steps: the last step’s weight, then promotion', () => {
    const long = rollout('{ canary: { steps: [10, 20, 30, 40] } }');
    const short = rollout('{ canary: { steps: [10, 25] } }');
    const at = (n: number) => n * INTERVAL;
    const state = run(long, [pass(at(1)), pass(at(2)), pass(at(3))]).at(-1)!.state;
    expect(state.step).toBe(3);
    expect(trafficFor(short, state)).toEqual({ kind: 'weights', from: 75, to: 25 });
    const o = advance(short, state, pass(at(4)));
    expect(o.state.phase).toBe('promoted');
  });
});
