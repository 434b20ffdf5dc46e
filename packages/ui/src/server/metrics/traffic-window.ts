import type { EdgeStats, ErrorCount } from '../api-types.js';
import { histogramQuantile, type Bucket } from './histogram.js';
import type { PromSample } from './prom-text.js';

export const REQUESTS_TOTAL = 'anymesh_requests_total';
export const DURATION_BUCKET = 'anymesh_request_duration_seconds_bucket';
export const WANTED_METRICS: ReadonlySet<string> = new Set([REQUESTS_TOTAL, DURATION_BUCKET]);

/** Every counter series of one scrape round, keyed by instance and label set. */
export interface Scrape {
  readonly at: number;
  readonly series: ReadonlyMap<string, PromSample>;
}

export function seriesKey(instanceId: string, sample: PromSample): string {
  const labels = Object.keys(sample.labels)
    .sort()
    .map((k) => `${k}=${sample.labels[k] ?? ''}`)
    .join(',');
  return `${instanceId}|${sample.name}|${labels}`;
}

/** A counter's increase; a smaller value means the sidecar restarted, so all of it is new. */
function increase(now: number, before: number | undefined): number {
  if (before === undefined || now < before) return now;
  return now - before;
}

interface Accumulator {
  total: number;
  failed: number;
  byCode: Map<string, number>;
  byVersion: Map<string, number>;
  buckets: Map<number, number>;
}

/** `source` → `destination` service names, as the sidecars label them. */
export interface EdgeKey {
  readonly source: string;
  readonly destination: string;
}

const edgeId = (direction: string, source: string, destination: string) => `${direction}\u0000${source}\u0000${destination}`;

function accumulate(newer: Scrape, older: Scrape): Map<string, Accumulator> {
  const edges = new Map<string, Accumulator>();
  for (const [key, sample] of newer.series) {
    const delta = increase(sample.value, older.series.get(key)?.value);
    const l = sample.labels;
    const id = edgeId(l.direction ?? 'outbound', l.source_service ?? '', l.destination_service ?? '');
    let acc = edges.get(id);
    if (!acc) edges.set(id, (acc = { total: 0, failed: 0, byCode: new Map(), byVersion: new Map(), buckets: new Map() }));
    if (sample.name === REQUESTS_TOTAL) {
      const code = l.response_code ?? '';
      acc.total += delta;
      if (code.startsWith('5') || code === '0') acc.failed += delta;
      if (!code.startsWith('2') && !code.startsWith('3')) acc.byCode.set(code, (acc.byCode.get(code) ?? 0) + delta);
      const version = l.destination_version ?? '';
      acc.byVersion.set(version, (acc.byVersion.get(version) ?? 0) + delta);
    } else {
      const le = Number(l.le === '+Inf' ? Infinity : l.le);
      if (!Number.isNaN(le)) acc.buckets.set(le, (acc.buckets.get(le) ?? 0) + delta);
    }
  }
  return edges;
}

function toStats(acc: Accumulator, seconds: number): EdgeStats {
  const buckets: Bucket[] = [...acc.buckets].map(([le, count]) => ({ le, count }));
  const p50 = histogramQuantile(0.5, buckets);
  const p99 = histogramQuantile(0.99, buckets);
  const errors: ErrorCount[] = [...acc.byCode]
    .filter(([, n]) => n > 0)
    .map(([code, n]) => ({ code, rps: n / seconds }))
    .sort((a, b) => b.rps - a.rps);
  const byVersion: Record<string, number> = {};
  for (const [v, n] of acc.byVersion) if (n > 0) byVersion[v] = n / seconds;
  return {
    rps: acc.total / seconds,
    successPercent: acc.total > 0 ? (100 * (acc.total - acc.failed)) / acc.total : undefined,
    p50Ms: p50 === undefined ? undefined : p50 * 1000,
    p99Ms: p99 === undefined ? undefined : p99 * 1000,
    errors,
    byVersion,
  };
}

/**
 * Per-edge traffic between two scrapes. Each call is counted by the caller's sidecar (outbound)
 * and the callee's (inbound); outbound counts are used when present so a call is not counted
 * twice, inbound ones for callers outside the mesh.
 */
export function edgeTraffic(newer: Scrape, older: Scrape): Map<string, EdgeKey & { stats: EdgeStats }> {
  const seconds = Math.max((newer.at - older.at) / 1000, 0.001);
  const accs = accumulate(newer, older);
  const result = new Map<string, EdgeKey & { stats: EdgeStats }>();
  for (const [id, acc] of accs) {
    const [direction = '', source = '', destination = ''] = id.split('\u0000');
    if (destination === '') continue;
    const pair = `${source}\u0000${destination}`;
    const outbound = accs.get(edgeId('outbound', source, destination));
    if (direction === 'inbound' && outbound && outbound.total > 0) continue;
    if (direction === 'outbound' && acc.total === 0 && accs.has(edgeId('inbound', source, destination))) continue;
    result.set(pair, { source, destination, stats: toStats(acc, seconds) });
  }
  return result;
}
