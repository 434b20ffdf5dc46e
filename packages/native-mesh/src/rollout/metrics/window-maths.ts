import type { MetricSample } from '@anymesh/core';

/** A cumulative histogram bucket: `count` observations ≤ `le` (seconds, `Infinity` for +Inf). */
export interface Bucket {
  readonly le: number;
  readonly count: number;
}

/** Requests, failures and latency of one version over a window, summed over every series counted. */
export class Tally {
  requests = 0;
  failed = 0;
  readonly #buckets = new Map<number, number>();

  addRequests(outcome: string, count: number): void {
    this.requests += count;
    if (isFailure(outcome)) this.failed += count;
  }

  addBucket(le: number, count: number): void {
    this.#buckets.set(le, (this.#buckets.get(le) ?? 0) + count);
  }

  buckets(): Bucket[] {
    return [...this.#buckets].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
  }

  /** The contract's sample: success-rate in %, latencies in ms, request-rate in req/s over `seconds`. */
  sample(seconds: number): MetricSample {
    const values: { -readonly [K in keyof MetricSample['values']]: number } = {
      'request-rate': seconds > 0 ? this.requests / seconds : 0,
    };
    if (this.requests > 0) values['success-rate'] = (100 * (this.requests - this.failed)) / this.requests;
    const buckets = this.buckets();
    const p50 = histogramQuantile(0.5, buckets);
    const p99 = histogramQuantile(0.99, buckets);
    if (p50 !== undefined) values['latency-p50'] = p50 * 1000;
    if (p99 !== undefined) values['latency-p99'] = p99 * 1000;
    return { requests: this.requests, values };
  }
}

/**
 * A failed request: answered 5xx, or not answered at all (status `0`, a transport failure, or no
 * instance / breaker slot to send it to). 4xx is the caller's problem, not the version's.
 */
export function isFailure(outcome: string): boolean {
  const code = Number(outcome);
  if (!Number.isInteger(code)) return true;
  return code === 0 || (code >= 500 && code <= 599);
}

/** A counter's increase between two reads; a smaller value means the process restarted, so all of it is new. */
export function increase(now: number, before: number | undefined): number {
  if (before === undefined || now < before) return now;
  return now - before;
}

/**
 * The q-quantile of cumulative buckets, as Prometheus' `histogram_quantile` computes it: find the
 * bucket holding rank q·total and interpolate linearly between its lower bound (the previous
 * bucket's `le`, or 0 for the first) and its `le`, assuming observations spread evenly within it.
 * In the +Inf bucket the answer is the highest finite bound (the histogram cannot say more).
 * Counts are made monotonic first (sums of deltas over restarted series can dip).
 * Undefined with no observations.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  let max = 0;
  const cumulative = sorted.map((b) => ({ le: b.le, count: (max = Math.max(max, b.count)) }));
  const last = cumulative[cumulative.length - 1];
  if (last === undefined || last.count <= 0) return undefined;
  const rank = q * last.count;
  let lowerLe = 0;
  let lowerCount = 0;
  for (const bucket of cumulative) {
    if (bucket.count >= rank && bucket.count > lowerCount) {
      if (bucket.le === Infinity) return lowerLe;
      return lowerLe + ((bucket.le - lowerLe) * (rank - lowerCount)) / (bucket.count - lowerCount);
    }
    lowerLe = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerLe;
}
