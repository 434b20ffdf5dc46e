import type { MetricName } from '@anymesh/core';
import { histogramQuantile } from './histogram.js';
import type { PromSample } from './prom-text.js';
import { REQUESTS_TOTAL, type Scrape } from './traffic-window.js';

/** What one version of a service answered over the window, in the units of a Rollout's metrics. */
export interface VersionStats {
  readonly requests: number;
  readonly values: Readonly<Partial<Record<MetricName, number>>>;
}

interface Counts {
  total: number;
  failed: number;
  buckets: Map<number, number>;
}

const increase = (now: number, before: number | undefined) => (before === undefined || now < before ? now : now - before);

/**
 * Per destination version of one service (`service` as the sidecars label it), the success rate,
 * latency quantiles and request rate over the window. The version's own sidecars (inbound) count
 * every caller, so they are used when they saw requests; callers' outbound counts otherwise.
 */
export function versionTraffic(newer: Scrape, older: Scrape, service: string): Map<string, VersionStats> {
  const seconds = Math.max((newer.at - older.at) / 1000, 0.001);
  const counts = new Map<string, Counts>();
  for (const [key, sample] of newer.series) {
    if (sample.labels.destination_service !== service) continue;
    const id = `${sample.labels.direction ?? 'outbound'}\u0000${sample.labels.destination_version ?? ''}`;
    let c = counts.get(id);
    if (!c) counts.set(id, (c = { total: 0, failed: 0, buckets: new Map() }));
    add(c, sample, increase(sample.value, older.series.get(key)?.value));
  }
  const result = new Map<string, VersionStats>();
  for (const [id, c] of counts) {
    const [direction = '', version = ''] = id.split('\u0000');
    if (version === '') continue;
    if (direction === 'outbound' && (counts.get(`inbound\u0000${version}`)?.total ?? 0) > 0) continue;
    if (direction === 'inbound' && c.total === 0 && counts.has(`outbound\u0000${version}`)) continue;
    result.set(version, toStats(c, seconds));
  }
  return result;
}

function add(c: Counts, sample: PromSample, delta: number): void {
  if (sample.name === REQUESTS_TOTAL) {
    const code = sample.labels.response_code ?? '';
    c.total += delta;
    if (code.startsWith('5') || code === '0') c.failed += delta;
    return;
  }
  const le = Number(sample.labels.le === '+Inf' ? Infinity : sample.labels.le);
  if (!Number.isNaN(le)) c.buckets.set(le, (c.buckets.get(le) ?? 0) + delta);
}

function toStats(c: Counts, seconds: number): VersionStats {
  const buckets = [...c.buckets].map(([le, count]) => ({ le, count }));
  const values: Partial<Record<MetricName, number>> = { 'request-rate': c.total / seconds };
  if (c.total > 0) values['success-rate'] = (100 * (c.total - c.failed)) / c.total;
  const p50 = histogramQuantile(0.5, buckets);
  const p99 = histogramQuantile(0.99, buckets);
  if (p50 !== undefined) values['latency-p50'] = p50 * 1000;
  if (p99 !== undefined) values['latency-p99'] = p99 * 1000;
  return { requests: c.total, values };
}
