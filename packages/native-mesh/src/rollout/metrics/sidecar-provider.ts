import type { VersionRef } from '@anymesh/core';
import type { InstanceInfo } from '../../protocol/types.js';
import { MetricsError } from './errors.js';
import { parseLine, type TextSample } from './prom-text.js';
import type { AnalysisWindow, MetricsProvider, MissingInstance, WindowSample } from './provider.js';
import { scrapeMatching } from './scrape.js';
import { increase, Tally } from './window-maths.js';

export const ATTEMPTS_TOTAL = 'anymesh_upstream_attempts_total';
export const ATTEMPT_BUCKET = 'anymesh_upstream_attempt_duration_seconds_bucket';
export const REQUESTS_TOTAL = 'anymesh_requests_total';
export const REQUEST_BUCKET = 'anymesh_request_duration_seconds_bucket';
const ATTEMPT_PREFIX = 'anymesh_upstream_attempt';
/** Only the families a window reads (a sidecar serves the rest too, to a scraper that does not ask: then they are skipped). */
const CALLER_METRICS_PATH = `/metrics?name=${ATTEMPTS_TOTAL}&name=anymesh_upstream_attempt_duration_seconds`;
const OWN_METRICS_PATH = `${CALLER_METRICS_PATH}&name=${REQUESTS_TOTAL}&name=anymesh_request_duration_seconds`;
const REQUEST_PREFIX = 'anymesh_request';

export interface SidecarProviderOptions {
  /** Per scrape; an instance that does not answer in time is reported missing. Default 2000 ms. */
  readonly timeoutMs?: number;
}

/** One series the window needs, from one instance. */
export interface Series {
  readonly kind: 'attempts' | 'attempt-bucket' | 'inbound' | 'inbound-bucket';
  readonly sample: TextSample;
}

export interface Reading {
  readonly address: string;
  readonly series: ReadonlyMap<string, Series>;
}

export interface Snapshot {
  readonly at: number;
  readonly instances: readonly InstanceInfo[];
  readonly readings: ReadonlyMap<string, Reading>;
  readonly failures: ReadonlyMap<string, MissingInstance>;
}

/**
 * Measures a version from the sidecars' own metrics, no Prometheus needed. The truthful view of a
 * version is its callers': every caller sidecar counts each attempt it sent to an instance of the
 * version, with its outcome (`anymesh_upstream_attempts_total`), including the attempts the
 * version failed by being down — refused connections, no healthy instance left — which the
 * version's own inbound side never sees. Retries count as attempts, so a version failing 20 % of
 * its requests reads 80 % even when callers retry. Requests that reached the version's inbound
 * listener from outside the mesh's sidecars (no caller sidecar saw them: direct clients, synthetic
 * load) are added from its inbound counters. Every registered instance is scraped, in parallel.
 */
export class SidecarMetricsProvider implements MetricsProvider {
  readonly #instances: () => readonly InstanceInfo[];
  readonly #timeoutMs: number;

  /** `instances`: the instances registered now (the control plane's registry). */
  constructor(instances: () => readonly InstanceInfo[], options: SidecarProviderOptions = {}) {
    this.#instances = instances;
    this.#timeoutMs = options.timeoutMs ?? 2000;
  }

  async startWindow(target: VersionRef): Promise<AnalysisWindow> {
    const start = await this.#snapshot(target);
    return { finish: async () => windowSample(target, start, await this.#snapshot(target)) };
  }

  async #snapshot(target: VersionRef): Promise<Snapshot> {
    const at = Date.now();
    const instances = [...this.#instances()];
    const readings = new Map<string, Reading>();
    const failures = new Map<string, MissingInstance>();
    await Promise.all(
      instances.map(async (instance) => {
        const address = `${instance.host}:${instance.adminPort}`;
        const own = isInstanceOf(instance, target);
        const path = own ? OWN_METRICS_PATH : CALLER_METRICS_PATH;
        const page = await scrapeMatching(
          instance.host,
          instance.adminPort,
          path,
          this.#timeoutMs,
          `destination_service="${target.service}"`,
        );
        if (page.ok) readings.set(instance.id, { address, series: relevantSeries(page.lines, target, instance) });
        else failures.set(instance.id, { instance: instance.id, address, reason: `unreachable: ${page.error}` });
      }),
    );
    return { at, instances, readings, failures };
  }
}

function isInstanceOf(instance: InstanceInfo, target: VersionRef): boolean {
  return instance.namespace === target.namespace && instance.service === target.service && (instance.version ?? '') === target.version;
}

/** The series of one page (its lines naming the target's service) that count toward `target`, keyed by name and label values. */
function relevantSeries(lines: readonly string[], target: VersionRef, instance: InstanceInfo): Map<string, Series> {
  const own = isInstanceOf(instance, target);
  const version = `destination_version="${target.version}"`;
  const series = new Map<string, Series>();
  for (const line of lines) {
    // Cheap tests first: most lines naming the service are about another version or metric.
    if (!line.includes(version) || !(line.startsWith(ATTEMPT_PREFIX) || (own && line.startsWith(REQUEST_PREFIX)))) continue;
    const sample = parseLine(line);
    if (sample === undefined) continue;
    const kind = kindOf(sample, target, own);
    if (kind !== undefined) series.set(`${sample.name}|${Object.values(sample.labels).join('\u0000')}`, { kind, sample });
  }
  return series;
}

function kindOf(sample: TextSample, target: VersionRef, own: boolean): Series['kind'] | undefined {
  const l = sample.labels;
  if (sample.name === ATTEMPTS_TOTAL || sample.name === ATTEMPT_BUCKET) {
    if (l.destination_namespace !== target.namespace || l.destination_version !== target.version) return undefined;
    return sample.name === ATTEMPTS_TOTAL ? 'attempts' : 'attempt-bucket';
  }
  if (!own || l.direction !== 'inbound') return undefined;
  if (sample.name === REQUESTS_TOTAL) return 'inbound';
  if (sample.name === REQUEST_BUCKET) return 'inbound-bucket';
  return undefined;
}

/** Counter deltas between the two snapshots, per instance, summed into the version's figures. */
export function windowSample(target: VersionRef, start: Snapshot, end: Snapshot): WindowSample {
  const missing: MissingInstance[] = [...end.failures.values()];
  const listedAtStart = new Set(start.instances.map((i) => i.id));
  const sidecarServices = new Set([...start.instances, ...end.instances].map((i) => i.service));
  const tally = new Tally();
  let counted = 0;
  for (const [id, reading] of end.readings) {
    let before = start.readings.get(id);
    if (before === undefined && listedAtStart.has(id)) {
      const reason = start.failures.get(id)?.reason ?? 'unreachable';
      missing.push({ instance: id, address: reading.address, reason: `no reading at the window's start (${reason})` });
      continue;
    }
    if (before !== undefined && restarted(before, reading)) before = undefined;
    counted++;
    for (const [key, { kind, sample }] of reading.series) {
      // Buckets are added even when empty: a quantile needs every bucket's bound.
      addTo(tally, kind, sample, increase(sample.value, before?.series.get(key)?.sample.value), sidecarServices);
    }
  }
  for (const [id, reading] of start.readings) {
    if (!end.readings.has(id) && !end.failures.has(id))
      missing.push({ instance: id, address: reading.address, reason: 'left the registry during the window' });
  }
  if (counted === 0) {
    const why = missing.map((m) => `${m.instance} (${m.address}): ${m.reason}`).join('; ');
    throw new MetricsError(
      'NO_INSTANCES',
      `no sidecar could be read at both ends of the window for ${target.namespace}/${target.service} ${target.version}${why === '' ? ': no instances registered' : `: ${why}`}`,
    );
  }
  const seconds = Math.max(end.at - start.at, 1) / 1000;
  return { ...tally.sample(seconds), seconds, missing };
}

/** A process that restarted (new admin address, or any counter went down) counts from zero. */
function restarted(before: Reading, now: Reading): boolean {
  if (before.address !== now.address) return true;
  for (const [key, series] of now.series) {
    const old = before.series.get(key);
    if (old !== undefined && series.sample.value < old.sample.value) return true;
  }
  return false;
}

function addTo(tally: Tally, kind: Series['kind'], sample: TextSample, delta: number, sidecarServices: ReadonlySet<string>): void {
  const l = sample.labels;
  // A request from another sidecar was already counted by that caller, attempt by attempt.
  if ((kind === 'inbound' || kind === 'inbound-bucket') && sidecarServices.has(l.source_service ?? '')) return;
  if (kind === 'attempts') tally.addRequests(l.outcome ?? '', delta);
  else if (kind === 'inbound') tally.addRequests(l.response_code ?? '', delta);
  else tally.addBucket(l.le === '+Inf' ? Infinity : Number(l.le), delta);
}
