import { describe, expect, it } from 'vitest';
import type { RolloutEvent, RolloutStatus } from '@anymesh/core';
import { checkText, eventLine, listText, statusText, trafficText } from '../src/commands/rollout/format.js';

const AT = Date.parse('2026-12-06T03:30:05Z');

const status: RolloutStatus = {
  namespace: 'bookstore',
  name: 'reviews-v3',
  service: 'reviews',
  from: 'v1',
  to: 'v3',
  strategy: 'canary',
  phase: 'progressing',
  step: 1,
  steps: 5,
  traffic: { kind: 'weights', from: 80, to: 20 },
  failedChecks: 1,
  threshold: 3,
  attempt: 1,
  startedAt: AT - 60_000,
  updatedAt: AT,
  message: 'success-rate 91.2 % < 99 % (1 of 3 failed checks)',
  analysis: [
    {
      at: AT,
      step: 1,
      from: { requests: 400, values: { 'success-rate': 100 } },
      to: { requests: 100, values: { 'success-rate': 91.2, 'latency-p99': 120 } },
      verdict: 'fail',
      checks: [
        { metric: 'success-rate', value: 91.2, min: 99, ok: false },
        { metric: 'latency-p99', value: 120, max: 500, ok: true },
      ],
    },
  ],
};

const event = (over: Partial<RolloutEvent>): RolloutEvent => ({
  seq: 7,
  at: AT,
  kind: 'check-failed',
  attempt: 1,
  step: 1,
  phase: 'progressing',
  traffic: { kind: 'weights', from: 80, to: 20 },
  reason: 'success-rate 91.2 % < 99 % (1 of 3 failed checks)',
  ...over,
});

describe('rollout text output', () => {
  it('shows a metric against its threshold, marking the one that failed', () => {
    expect(checkText({ metric: 'success-rate', value: 91.2, min: 99, ok: false })).toBe('success-rate 91.2% < 99% FAIL');
    expect(checkText({ metric: 'latency-p99', value: 120.456, max: 500, ok: true })).toBe('latency-p99 120.46ms <= 500ms');
    expect(checkText({ metric: 'request-rate', value: 12, min: 5, ok: true })).toBe('request-rate 12req/s >= 5req/s');
  });

  it('shows a metric without a value as no data, not as a pass or a fail', () => {
    const text = checkText({ metric: 'success-rate', min: 99, ok: false });
    expect(text).toBe('success-rate no data');
  });

  it('prints one live line per interval with the step of all steps, the weights, each metric and the reason', () => {
    const line = eventLine(
      event({
        checks: [
          { metric: 'success-rate', value: 91.2, min: 99, ok: false },
          { metric: 'latency-p99', value: 120, max: 500, ok: true },
        ],
      }),
      status,
    );
    expect(line).toBe(
      '2026-12-06T03:30:05Z  step 2/5  v1 80% v3 20%  check-failed  success-rate 91.2% < 99% FAIL, latency-p99 120ms <= 500ms: success-rate 91.2 % < 99 % (1 of 3 failed checks)',
    );
  });

  it('prints a no-data interval as such, with the reason naming the requests that reached the new version', () => {
    const line = eventLine(
      event({
        kind: 'no-data',
        checks: [{ metric: 'success-rate', min: 99, ok: false }],
        reason: 'no data: 0 requests reached reviews v3 in the last 30s',
      }),
      status,
    );
    expect(line).toContain('no-data  success-rate no data: no data: 0 requests reached reviews v3 in the last 30s');
  });

  it("names the A/B cohort and blue/green's preview header with the versions they reach", () => {
    const cohort = trafficText(
      { kind: 'cohort', matches: [{ headers: { 'x-user-type': { exact: 'beta' } } }, { cookie: { name: 'tester', value: 'yes' } }] },
      status,
    );
    expect(cohort).toBe('cohort (x-user-type=beta or cookie tester=yes) -> v3, others -> v1');
    expect(trafficText({ kind: 'preview', header: 'x-anymesh-preview', mirror: true }, status)).toBe(
      'preview (header x-anymesh-preview) -> v3, others -> v1, mirrored to v3',
    );
  });

  it('shows the status with its phase, step, weights, failed checks and the latest analysis', () => {
    const text = statusText(status);
    expect(text).toContain('Name:      bookstore/reviews-v3\n');
    expect(text).toContain('Phase:     progressing\n');
    expect(text).toContain('Step:      2/5\n');
    expect(text).toContain('Traffic:   v1 80% v3 20%\n');
    expect(text).toContain('Checks:    1 failed of 3 allowed before rollback\n');
    expect(text).toMatch(
      /step 2\/5 {2}fail {5}success-rate 91\.2% < 99% FAIL, latency-p99 120ms <= 500ms {2}\(100 requests to v3, 400 to v1\)/,
    );
  });

  it('shows a promoted rollout at its last step, not past it', () => {
    expect(statusText({ ...status, phase: 'promoted', step: 5, traffic: { kind: 'weights', from: 0, to: 100 } })).toContain(
      'Step:      5/5\n',
    );
  });

  it('lists rollouts in aligned columns', () => {
    const text = listText([status, { ...status, name: 'catalog-v2', service: 'catalog', from: 'v1', to: 'v2', phase: 'paused' }]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const phaseColumn = lines[0]!.indexOf('PHASE');
    expect(lines[1]!.slice(phaseColumn)).toMatch(/^progressing /);
    expect(lines[2]!.slice(phaseColumn)).toMatch(/^paused /);
    expect(listText([])).toBe('no rollouts\n');
  });
});
