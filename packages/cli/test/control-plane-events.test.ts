import { describe, expect, it } from 'vitest';
import { describeControlPlaneEvent } from '../src/commands/control-plane.js';

const WHO = { namespace: 'bookstore', name: 'reviews-v3', service: 'reviews', from: 'v1', to: 'v3' } as const;

describe('control-plane event lines (printed by anymesh up and anymesh control-plane)', () => {
  it('prints one line per rollout transition with its kind, 1-based step, phase and reason', () => {
    const line = describeControlPlaneEvent({
      type: 'rollout',
      ...WHO,
      event: {
        seq: 4,
        at: 0,
        kind: 'check-failed',
        attempt: 1,
        step: 0,
        phase: 'progressing',
        traffic: { kind: 'weights', from: 90, to: 10 },
        reason: 'success-rate 81.5 % < 99 % (1 of 2 failed checks)',
      },
    });
    expect(line).toBe('rollout bookstore/reviews-v3 check-failed (step 1, progressing): success-rate 81.5 % < 99 % (1 of 2 failed checks)');
  });

  it('prints what the controller could not do as a warning naming the rollout', () => {
    expect(
      describeControlPlaneEvent({
        type: 'rollout-trouble',
        namespace: 'bookstore',
        name: 'reviews-v3',
        message: 'rollback webhook: notify answered 500',
      }),
    ).toBe('warning: rollout bookstore/reviews-v3: rollback webhook: notify answered 500');
  });
});
