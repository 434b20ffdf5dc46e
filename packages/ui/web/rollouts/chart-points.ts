import type { AnalysisPoint, MetricName } from '@anymesh/core';

export interface ChartPoint {
  readonly index: number;
  readonly at: number;
  readonly step: number;
  readonly verdict: AnalysisPoint['verdict'];
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  /** The new version's requests in the interval: why an interval has no data. */
  readonly toRequests: number;
}

/** One point per analysis interval: the old and the new version's value of `metric`. */
export function chartPoints(analysis: readonly AnalysisPoint[], metric: MetricName): ChartPoint[] {
  return analysis.map((p, index) => ({
    index,
    at: p.at,
    step: p.step,
    verdict: p.verdict,
    from: p.from.values[metric],
    to: p.verdict === 'no-data' ? undefined : p.to.values[metric],
    toRequests: p.to.requests,
  }));
}

/** A y range that holds every value and the bounds, padded a little; success rates stop at 100. */
export function yRange(points: readonly ChartPoint[], bounds: readonly number[], percent: boolean): [number, number] {
  const values = [...points.flatMap((p) => [p.from, p.to]).filter((v): v is number => v !== undefined), ...bounds];
  if (values.length === 0) return percent ? [90, 100] : [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (percent) return [Math.max(0, Math.floor((lo - 1) / 5) * 5), 100];
  return [0, hi === 0 ? 1 : hi * 1.15];
}
