import type { AnalysisMetric } from '../model/generated.js';
import { formatDuration, parseDuration } from '../semantics/duration.js';
import type { RolloutConfig } from './config.js';
import type { CheckResult, MetricName, MetricSample } from './contract.js';

/** The outcome of one interval's analysis of the new version. */
export interface Judgement {
  readonly verdict: 'pass' | 'fail' | 'no-data';
  /** The new version's sample as measured (a provider error counts as 0 requests, no values). */
  readonly to: MetricSample;
  /** Every metric against its bounds; empty for no data (too few requests make values noise). */
  readonly checks: readonly CheckResult[];
  /** Why, e.g. `success-rate 91.2 % < 99 %` or `no data: 0 requests reached reviews v3 in the last 30s (at least 10 needed)`. */
  readonly reason: string;
}

/** Who is measured: `reviews v3`. */
export interface Subject {
  readonly service: string;
  readonly version: string;
}

const EMPTY: MetricSample = { requests: 0, values: {} };

/**
 * Judges one interval. No data (a provider error, fewer than `minRequests` requests, or a metric
 * without a value while every other metric holds) is neither a pass nor a failed check: analysis that
 * cannot decide must say so.
 */
export function judge(cfg: RolloutConfig, who: Subject, to: MetricSample | { error: string }): Judgement {
  const window = formatDuration(cfg.intervalMs);
  if ('error' in to) {
    return {
      verdict: 'no-data',
      to: EMPTY,
      checks: [],
      reason: `no data: metrics of ${who.service} ${who.version} unavailable: ${to.error}`,
    };
  }
  if (to.requests < cfg.minRequests) {
    const reason = `no data: ${to.requests} ${to.requests === 1 ? 'request' : 'requests'} reached ${who.service} ${who.version} in the last ${window} (at least ${cfg.minRequests} needed)`;
    return { verdict: 'no-data', to, checks: [], reason };
  }
  // A bound broken is a failed check even when another metric has no value: a version that answers
  // nothing has no latency at all, and that must roll it back, not hold the rollout at "no data".
  const missing = cfg.metrics.filter((m) => to.values[m.name] === undefined).map((m) => m.name);
  const checks = cfg.metrics.filter((m) => to.values[m.name] !== undefined).map((m) => checkMetric(m, to.values[m.name]!));
  const failed = checks.filter((c) => !c.ok);
  const noValue = `no ${missing.join(', ')} value for ${who.service} ${who.version} in the last ${window}`;
  if (failed.length > 0) {
    const reason = failed.map(describeCheck).join(', ') + (missing.length > 0 ? ` (${noValue})` : '');
    return { verdict: 'fail', to, checks, reason };
  }
  if (missing.length > 0) return { verdict: 'no-data', to, checks: [], reason: `no data: ${noValue}` };
  return { verdict: 'pass', to, checks, reason: checks.map(describeCheck).join(', ') };
}

/** A metric's value against its bounds; latency bounds in milliseconds. */
export function checkMetric(m: AnalysisMetric, value: number): CheckResult {
  const min = boundOf(m.min);
  const max = boundOf(m.max);
  const ok = (min === undefined || value >= min) && (max === undefined || value <= max);
  return { metric: m.name, value, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), ok };
}

/** `success-rate 91.2 % < 99 %`, `latency-p99 120 ms ≤ 500 ms`. */
export function describeCheck(c: CheckResult): string {
  if (c.value === undefined) return `${c.metric} has no value`;
  const v = c.value;
  if (c.min !== undefined && v < c.min) return `${c.metric} ${show(c.metric, v, c.min)} < ${show(c.metric, c.min)}`;
  if (c.max !== undefined && v > c.max) return `${c.metric} ${show(c.metric, v, c.max)} > ${show(c.metric, c.max)}`;
  const parts: string[] = [];
  if (c.min !== undefined) parts.push(`≥ ${show(c.metric, c.min)}`);
  if (c.max !== undefined) parts.push(`≤ ${show(c.metric, c.max)}`);
  return `${c.metric} ${show(c.metric, v, c.min ?? c.max)}${parts.length ? ` ${parts.join(' and ')}` : ''}`;
}

function boundOf(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : parseDuration(v);
}

const UNIT: Record<MetricName, string> = {
  'success-rate': '%',
  'latency-p50': 'ms',
  'latency-p99': 'ms',
  'request-rate': 'req/s',
};

/**
 * A value with its unit. Bounds as written; a measured value with one decimal, or as many as its
 * bound has, and more while it would read like its bound (`99.949 % < 99.95 %`, never `99.9 % < 100 %`).
 */
function show(metric: MetricName, v: number, against?: number): string {
  if (against === undefined) return `${trim(v, 4)} ${UNIT[metric]}`;
  let d = Math.max(1, decimalsOf(against));
  while (d < 6 && Number(trim(v, d)) === against && v !== against) d++;
  return `${trim(v, d)} ${UNIT[metric]}`;
}

function decimalsOf(v: number): number {
  const text = trim(v, 6);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function trim(v: number, decimals: number): string {
  return String(Number(v.toFixed(decimals)));
}
