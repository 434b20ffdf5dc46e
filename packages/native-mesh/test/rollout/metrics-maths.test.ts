import { describe, expect, it } from 'vitest';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { MetricsError } from '../../src/rollout/metrics/index.js';
import { parseLine } from '../../src/rollout/metrics/prom-text.js';
import { LineMatcher } from '../../src/rollout/metrics/scrape.js';
import { windowSample, type Reading, type Series, type Snapshot } from '../../src/rollout/metrics/sidecar-provider.js';
import { histogramQuantile, increase, isFailure, Tally } from '../../src/rollout/metrics/window-maths.js';

const INF = Infinity;

describe('histogram quantiles from cumulative buckets', () => {
  it('interpolates linearly inside the bucket holding the rank, from the previous bound', () => {
    // 10 observations ≤ 0.1, 10 more in (0.1, 0.5], none above.
    const buckets = [
      { le: 0.1, count: 10 },
      { le: 0.5, count: 20 },
      { le: INF, count: 20 },
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1, 12); // rank 10: the top of the first bucket
    expect(histogramQuantile(0.75, buckets)).toBeCloseTo(0.3, 12); // rank 15: halfway through (0.1, 0.5]
    expect(histogramQuantile(0.99, buckets)).toBeCloseTo(0.1 + 0.4 * 0.98, 12); // rank 19.8
  });

  it('takes 0 as the lower bound of the first bucket', () => {
    expect(
      histogramQuantile(0.5, [
        { le: 0.2, count: 4 },
        { le: INF, count: 4 },
      ]),
    ).toBeCloseTo(0.1, 12);
  });

  it('answers the highest finite bound when the rank is in the +Inf bucket', () => {
    expect(
      histogramQuantile(0.99, [
        { le: 1, count: 1 },
        { le: 10, count: 2 },
        { le: INF, count: 100 },
      ]),
    ).toBe(10);
  });

  it('skips empty buckets and does not depend on the order given', () => {
    const buckets = [
      { le: INF, count: 8 },
      { le: 0.05, count: 8 },
      { le: 0.025, count: 0 },
      { le: 0.01, count: 0 },
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.0375, 12);
  });

  it('has no answer without observations', () => {
    expect(histogramQuantile(0.5, [])).toBeUndefined();
    expect(
      histogramQuantile(0.5, [
        { le: 0.1, count: 0 },
        { le: INF, count: 0 },
      ]),
    ).toBeUndefined();
  });

  it('treats a dip in summed counts (a restarted series) as flat', () => {
    const buckets = [
      { le: 0.1, count: 6 },
      { le: 0.2, count: 4 },
      { le: INF, count: 10 },
    ];
    // Made monotonic: 6, 6, 10; rank 5 falls in the first bucket.
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo((0.1 * 5) / 6, 12);
  });
});

describe('counter windows', () => {
  it('takes the difference, or all of the value when the counter went down (restart) or is new', () => {
    expect(increase(15, 10)).toBe(5);
    expect(increase(3, 10)).toBe(3);
    expect(increase(7, undefined)).toBe(7);
  });

  it('counts 5xx, status 0 and requests that got no answer as failed; 4xx as served', () => {
    expect(['500', '503', '0', 'connect-failure', 'reset', 'no-healthy-upstream', 'circuit-breaker', 'aborted'].map(isFailure)).toEqual(
      Array(8).fill(true),
    );
    expect(['200', '204', '301', '404', '429'].map(isFailure)).toEqual(Array(5).fill(false));
  });

  it('turns a tally into the contract sample: %, ms and req/s', () => {
    const tally = new Tally();
    tally.addRequests('200', 90);
    tally.addRequests('503', 8);
    tally.addRequests('connect-failure', 2);
    tally.addBucket(0.01, 50);
    tally.addBucket(0.1, 100);
    tally.addBucket(INF, 100);
    const sample = tally.sample(20);
    expect(sample.requests).toBe(100);
    expect(sample.values['success-rate']).toBeCloseTo(90, 12);
    expect(sample.values['request-rate']).toBeCloseTo(5, 12);
    expect(sample.values['latency-p50']).toBeCloseTo(10, 9);
    expect(sample.values['latency-p99']).toBeCloseTo(10 + 90 * 0.98, 9);
  });

  it('leaves success rate and latency out when nothing was requested', () => {
    expect(new Tally().sample(30)).toEqual({ requests: 0, values: { 'request-rate': 0 } });
  });
});

describe('Prometheus text', () => {
  it('parses labels with escapes, +Inf and timestamps', () => {
    expect(parseLine('m_bucket{a="x\\"y",le="+Inf"} 12 1700000000000')).toEqual({
      name: 'm_bucket',
      labels: { a: 'x"y', le: '+Inf' },
      value: 12,
    });
    expect(parseLine('m{a="b"} +Inf')?.value).toBe(INF);
    expect(parseLine('m{a="b} 1')).toBeUndefined();
    expect(parseLine('m{a="b"} lots')).toBeUndefined();
  });

  it('finds only sample lines holding the needle, not comments or other services, however the bytes are split', () => {
    const text = [
      '# HELP x mentions destination_service="reviews"',
      'x{destination_service="reviews2"} 1',
      'x{destination_service="reviews",code="200"} 2',
      'y{destination_service="ratings"} 3',
      'x{destination_service="reviews",code="503"} 4',
      'z{destination_service="reviews",code="é"} 5',
    ].join('\n');
    const bytes = Buffer.from(text, 'utf8');
    const wanted = [
      'x{destination_service="reviews",code="200"} 2',
      'x{destination_service="reviews",code="503"} 4',
      'z{destination_service="reviews",code="é"} 5',
    ];
    for (let a = 0; a <= bytes.length; a++) {
      for (const b of [a, Math.min(bytes.length, a + 1), Math.min(bytes.length, a + 37)]) {
        const matcher = new LineMatcher(Buffer.from('destination_service="reviews"'));
        matcher.push(bytes.subarray(0, a));
        matcher.push(bytes.subarray(a, b));
        matcher.push(bytes.subarray(b));
        expect(matcher.end(), `split at ${a}, ${b}`).toEqual(wanted);
      }
    }
  });
});

describe('a sidecar window', () => {
  const target = { namespace: 'shop', service: 'reviews', version: 'v3' };
  const caller = (id: string, adminPort = 9000): InstanceInfo => ({
    id,
    namespace: 'shop',
    service: 'client',
    version: 'v1',
    host: '127.0.0.1',
    inboundPort: 1,
    servicePort: 9080,
    adminPort,
    locality: undefined,
    identity: 'x',
  });
  const attempts = (outcome: string, value: number): [string, Series] => [
    `a|${outcome}`,
    {
      kind: 'attempts',
      sample: {
        name: 'anymesh_upstream_attempts_total',
        labels: { destination_namespace: 'shop', destination_service: 'reviews', destination_version: 'v3', outcome },
        value,
      },
    },
  ];
  const reading = (port: number, ...series: [string, Series][]): Reading => ({ address: `127.0.0.1:${port}`, series: new Map(series) });
  const snapshot = (at: number, instances: InstanceInfo[], readings: [string, Reading][]): Snapshot => ({
    at,
    instances,
    readings: new Map(readings),
    failures: new Map(),
  });

  it('counts a restarted caller (a counter went down) from zero, and a caller that joined from zero', () => {
    const a = caller('a');
    const b = caller('b');
    const start = snapshot(0, [a], [['a', reading(9000, attempts('200', 100), attempts('503', 50))]]);
    // a restarted: 200 went from 100 to 30, so its 503 count (55) is all new too.
    const end = snapshot(
      10_000,
      [a, b],
      [
        ['a', reading(9000, attempts('200', 30), attempts('503', 55))],
        ['b', reading(9001, attempts('200', 15))],
      ],
    );
    const sample = windowSample(target, start, end);
    expect(sample.requests).toBe(30 + 55 + 15);
    expect(sample.values['success-rate']).toBeCloseTo((100 * 45) / 100, 12);
    expect(sample.values['request-rate']).toBeCloseTo(10, 12);
    expect(sample.seconds).toBe(10);
  });

  it('leaves out, and reports, a caller unreadable at the start and one gone by the end', () => {
    const a = caller('a');
    const b = caller('b');
    const start: Snapshot = {
      at: 0,
      instances: [a, b],
      readings: new Map([['b', reading(9001, attempts('200', 5))]]),
      failures: new Map([['a', { instance: 'a', address: '127.0.0.1:9000', reason: 'unreachable: ECONNREFUSED' }]]),
    };
    const end = snapshot(1000, [a], [['a', reading(9000, attempts('200', 1000))]]);
    expect(() => windowSample(target, start, end)).toThrow(MetricsError);
    const c = caller('c');
    const withC = snapshot(
      1000,
      [a, c],
      [
        ['a', reading(9000, attempts('200', 1000))],
        ['c', reading(9002, attempts('200', 7))],
      ],
    );
    const sample = windowSample(target, { ...start, instances: [a, b] }, withC);
    expect(sample.requests).toBe(7);
    expect(sample.missing.map((m) => [m.instance, m.reason])).toEqual([
      ['a', "no reading at the window's start (unreachable: ECONNREFUSED)"],
      ['b', 'left the registry during the window'],
    ]);
  });
});
