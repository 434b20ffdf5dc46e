import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../src/server/metrics/histogram.js';
import { parsePromText } from '../src/server/metrics/prom-text.js';
import { edgeTraffic, seriesKey, WANTED_METRICS, type Scrape } from '../src/server/metrics/traffic-window.js';

const line = (dir: string, src: string, dst: string, version: string, code: string, value: number) =>
  `anymesh_requests_total{direction="${dir}",source_service="${src}",source_version="v1",destination_service="${dst}",destination_version="${version}",response_code="${code}"} ${value}`;

function scrape(at: number, text: string, instance = 'i-0'): Scrape {
  return { at, series: new Map(parsePromText(text, WANTED_METRICS).map((s) => [seriesKey(instance, s), s])) };
}

describe('Prometheus text parsing', () => {
  it('keeps only the wanted metrics and reads labels with escaped quotes', () => {
    const samples = parsePromText(
      ['# HELP x', 'process_cpu_seconds_total 3', 'anymesh_requests_total{source_service="a\\"b",response_code="200"} 7', 'garbage {'].join(
        '\n',
      ),
      WANTED_METRICS,
    );
    expect(samples).toEqual([{ name: 'anymesh_requests_total', labels: { source_service: 'a"b', response_code: '200' }, value: 7 }]);
  });
});

describe('histogram quantiles', () => {
  it('interpolates inside the bucket the rank falls in', () => {
    const buckets = [
      { le: 0.1, count: 50 },
      { le: 0.2, count: 100 },
      { le: Infinity, count: 100 },
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1);
    expect(histogramQuantile(0.75, buckets)).toBeCloseTo(0.15);
  });

  it('answers undefined with no observations and the highest finite bound for the +Inf bucket', () => {
    expect(histogramQuantile(0.99, [{ le: Infinity, count: 0 }])).toBeUndefined();
    expect(
      histogramQuantile(0.99, [
        { le: 1, count: 1 },
        { le: Infinity, count: 10 },
      ]),
    ).toBe(1);
  });
});

describe('edge traffic from counter deltas', () => {
  it('computes the rate, success and errors from two scrapes ten seconds apart', () => {
    const before = scrape(
      0,
      [line('outbound', 'frontend', 'reviews', 'v1', '200', 100), line('outbound', 'frontend', 'reviews', 'v3', '503', 0)].join('\n'),
    );
    const after = scrape(
      10_000,
      [line('outbound', 'frontend', 'reviews', 'v1', '200', 290), line('outbound', 'frontend', 'reviews', 'v3', '503', 10)].join('\n'),
    );
    const edge = edgeTraffic(after, before).get('frontend\u0000reviews');
    expect(edge?.stats.rps).toBeCloseTo(20);
    expect(edge?.stats.successPercent).toBeCloseTo(95);
    expect(edge?.stats.errors).toEqual([{ code: '503', rps: 1 }]);
    expect(edge?.stats.byVersion).toEqual({ v1: 19, v3: 1 });
  });

  it('treats a counter that went down as a restarted sidecar, counting the new value', () => {
    const before = scrape(0, line('outbound', 'a', 'b', 'v1', '200', 500));
    const after = scrape(5_000, line('outbound', 'a', 'b', 'v1', '200', 25));
    expect(edgeTraffic(after, before).get('a\u0000b')?.stats.rps).toBeCloseTo(5);
  });

  it('counts a call once when both the caller and the callee sidecar report it', () => {
    const text = (n: number) => [line('outbound', 'a', 'b', 'v1', '200', n), line('inbound', 'a', 'b', 'v1', '200', n)].join('\n');
    expect(edgeTraffic(scrape(1_000, text(10)), scrape(0, text(0))).get('a\u0000b')?.stats.rps).toBeCloseTo(10);
  });

  it('uses inbound counts for callers outside the mesh', () => {
    const text = (n: number) => line('inbound', '', 'frontend', 'v1', '200', n);
    const edges = edgeTraffic(scrape(2_000, text(8)), scrape(0, text(0)));
    expect(edges.get('\u0000frontend')?.stats.rps).toBeCloseTo(4);
  });
});
