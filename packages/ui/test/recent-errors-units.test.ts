import type { AccessLogRecord, InstanceInfo } from '@anymesh/native-mesh';
import { describe, expect, it } from 'vitest';
import { failedRequestOf, isFailure, ownerOf } from '../src/server/recent-errors/failed-requests.js';
import { Ring } from '../src/server/recent-errors/ring.js';
import { callText, codeText, timeOfDay } from '../web/topology/request-format.js';
import { addTapEvents, type TapEventView, type TapRequest } from '../web/topology/tap-rows.js';

const reviewsV3: InstanceInfo = {
  id: 'reviews-v3-0',
  namespace: 'bookstore',
  service: 'reviews',
  version: 'v3',
  host: '127.0.0.1',
  inboundPort: 1,
  servicePort: 9080,
  adminPort: 2,
  locality: undefined,
  identity: '',
};
const frontend: InstanceInfo = { ...reviewsV3, id: 'frontend-v1-0', service: 'frontend', version: 'v1' };

function record(overrides: Partial<AccessLogRecord>): AccessLogRecord {
  return {
    time: '2026-11-26T12:00:00.000Z',
    sidecar: 'reviews-v3-0',
    direction: 'inbound',
    source: 'frontend',
    source_version: 'v1',
    destination: 'reviews',
    destination_version: 'v3',
    method: 'GET',
    path: '/reviews/1',
    code: 500,
    reason: null,
    duration_ms: 301.5,
    attempts: 1,
    retries: 0,
    upstream: 'reviews-v3-0',
    route_rule: null,
    trace_id: null,
    mtls: false,
    identity: null,
    access: null,
    access_rule: null,
    audit: null,
    ...overrides,
  };
}

const sameNamespace = (_service: string, near: string) => near;

describe('recent errors ring', () => {
  it('keeps only the newest items and lists them newest first', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.newest(10)).toEqual([5, 4, 3]);
    expect(ring.newest(2)).toEqual([5, 4]);
    expect(ring.newest(10, (n) => n % 2 === 1)).toEqual([5, 3]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Ring(0)).toThrow(/positive integer/);
  });
});

describe('filing a tapped request under a service', () => {
  it('files what the destination sidecar saw under the destination service', () => {
    expect(ownerOf(record({}), reviewsV3, sameNamespace)).toBe('bookstore/reviews');
  });

  it("files an answer the caller's sidecar gave itself under the destination, and skips the caller's copy of a forwarded call", () => {
    const breaker = record({ direction: 'outbound', sidecar: 'frontend-v1-0', code: 503, reason: 'circuit-breaker' });
    expect(ownerOf(breaker, frontend, sameNamespace)).toBe('bookstore/reviews');
    expect(ownerOf(record({ direction: 'outbound', sidecar: 'frontend-v1-0' }), frontend, sameNamespace)).toBeUndefined();
  });

  it('counts 4xx, 5xx and no response as failures, and nothing else', () => {
    expect([0, 200, 301, 403, 404, 500, 503].filter(isFailure)).toEqual([0, 403, 404, 500, 503]);
  });

  it('keeps code, version, path, time, reason and caller of a failed request', () => {
    const row = failedRequestOf(record({ code: 403, reason: 'access-denied' }), 7);
    expect(row).toMatchObject({
      seq: 7,
      code: 403,
      reason: 'access-denied',
      destinationVersion: 'v3',
      path: '/reviews/1',
      time: '2026-11-26T12:00:00.000Z',
      source: 'frontend',
    });
  });
});

describe('request lines in the panels', () => {
  it('names a status, the reason the mesh gave, and a missing response', () => {
    expect(codeText(500, null)).toBe('500');
    expect(codeText(503, 'circuit-breaker')).toBe('503 circuit-breaker');
    expect(codeText(0, 'upstream-reset')).toBe('no response upstream-reset');
  });

  it('names the call with versions and a caller outside the mesh as such', () => {
    expect(callText('frontend', 'v1', 'reviews', 'v3')).toBe('frontend v1 → reviews v3');
    expect(callText('unknown', 'unknown', 'frontend', 'v1')).toBe('outside the mesh → frontend v1');
  });

  it('shows the time of day to the millisecond', () => {
    expect(timeOfDay('2026-11-26T12:00:00.042Z')).toMatch(/^\d\d:\d\d:00\.042$/);
  });
});

describe('live requests list', () => {
  const request = (seq: number, path = '/reviews/1'): TapEventView => ({ ...record({ path, code: 200 }), type: 'request', seq });
  const all = (): boolean => true;

  it('puts the newest request first and keeps at most the limit', () => {
    let shown = { rows: [] as readonly TapRequest[], dropped: 0 };
    shown = addTapEvents(shown, [request(1), request(2)], all, 3);
    shown = addTapEvents(shown, [request(3), request(4)], all, 3);
    expect(shown.rows.map((r) => r.seq)).toEqual([4, 3, 2]);
  });

  it('adds up what the sidecars report dropped and applies the filter', () => {
    const events: TapEventView[] = [request(1, '/a'), { type: 'dropped', count: 5, seq: 2 }, request(3, '/b')];
    const shown = addTapEvents({ rows: [], dropped: 1 }, events, (r) => r.path === '/b');
    expect(shown.rows.map((r) => r.path)).toEqual(['/b']);
    expect(shown.dropped).toBe(6);
  });

  it('returns the same list when a poll brings nothing new, so nothing re-renders', () => {
    const shown = { rows: [], dropped: 0 };
    expect(addTapEvents(shown, [], all)).toBe(shown);
  });
});
