import { describe, expect, it } from 'vitest';
import { versionTraffic } from '../src/server/metrics/version-traffic.js';
import type { PromSample } from '../src/server/metrics/prom-text.js';
import type { Scrape } from '../src/server/metrics/traffic-window.js';

const requests = (direction: string, version: string, code: string, value: number): PromSample => ({
  name: 'anymesh_requests_total',
  labels: { direction, destination_service: 'reviews', destination_version: version, response_code: code },
  value,
});
const bucket = (direction: string, version: string, le: string, value: number): PromSample => ({
  name: 'anymesh_request_duration_seconds_bucket',
  labels: { direction, destination_service: 'reviews', destination_version: version, le },
  value,
});
const scrape = (at: number, samples: PromSample[]): Scrape => ({ at, series: new Map(samples.map((s, i) => [`i|${i}`, s])) });

describe('per-version figures for the wizard', () => {
  it("counts a version by its own sidecars when they saw requests, else by its callers'", () => {
    const older = scrape(0, [
      requests('inbound', 'v1', '200', 100),
      requests('outbound', 'v1', '200', 50),
      requests('outbound', 'v3', '200', 10),
    ]);
    const newer = scrape(10_000, [
      requests('inbound', 'v1', '200', 300), // +200 seen by v1's sidecars (every caller)
      requests('outbound', 'v1', '200', 150), // +100 from one caller only: not used
      requests('outbound', 'v3', '200', 18),
      requests('outbound', 'v3', '503', 2), // v3 only seen by callers: 8 ok + 2 failed
    ]);
    const stats = versionTraffic(newer, older, 'reviews');
    expect(stats.get('v1')).toMatchObject({ requests: 200, values: { 'request-rate': 20, 'success-rate': 100 } });
    expect(stats.get('v3')).toMatchObject({ requests: 10, values: { 'request-rate': 1, 'success-rate': 80 } });
  });

  it('interpolates p50 and p99 in the version’s buckets and leaves them out without observations', () => {
    const older = scrape(0, [requests('inbound', 'v2', '200', 0), bucket('inbound', 'v2', '0.1', 0), bucket('inbound', 'v2', '+Inf', 0)]);
    const newer = scrape(1_000, [
      requests('inbound', 'v2', '200', 100),
      bucket('inbound', 'v2', '0.1', 100),
      bucket('inbound', 'v2', '+Inf', 100),
    ]);
    const v2 = versionTraffic(newer, older, 'reviews').get('v2');
    expect(v2?.values['latency-p50']).toBeCloseTo(50);
    expect(v2?.values['latency-p99']).toBeCloseTo(99);
    const idle = versionTraffic(older, older, 'reviews').get('v2');
    expect(idle?.values['success-rate']).toBeUndefined();
    expect(idle?.values['latency-p99']).toBeUndefined();
  });
});
