import { describe, expect, it } from 'vitest';
import { replacePrefix } from '../../src/proxy/filters/rewrite.js';
import { redirectLocation } from '../../src/proxy/filters/redirect.js';
import { RetryBudget } from '../../src/proxy/resilience/budget.js';
import { backoffMs, compileRetry, isRetriable } from '../../src/proxy/resilience/retry.js';
import { resolveTarget } from '../../src/proxy/routing/resolve-service.js';
import { Endpoint } from '../../src/proxy/upstream/endpoint.js';
import { HashRing } from '../../src/proxy/upstream/hash-ring.js';
import type { InstanceInfo } from '../../src/protocol/types.js';

const endpoint = (id: string) =>
  new Endpoint({ id, host: '127.0.0.1', inboundPort: 1 } as InstanceInfo, {
    connectTimeoutMs: () => 1000,
    idleTimeoutMs: 1000,
    onConnectionCount: () => undefined,
    mayKeep: () => true,
  });

describe('proxy building blocks', () => {
  it('moves only about 1/n of the keys when a fifth instance joins the hash ring', () => {
    const four = ['a', 'b', 'c', 'd'].map(endpoint);
    const five = [...four, endpoint('e')];
    const before = new HashRing(four);
    const after = new HashRing(five);
    const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
    const moved = keys.filter((k) => before.pick(k, () => true)!.id !== after.pick(k, () => true)!.id);
    // Every moved key must have moved to the newcomer; about 1/5 of them move.
    expect(moved.every((k) => after.pick(k, () => true)!.id === 'e')).toBe(true);
    expect(moved.length / keys.length).toBeGreaterThan(0.1);
    expect(moved.length / keys.length).toBeLessThan(0.3);
    for (const e of five) e.retire();
  });

  it('lets retries add percent of requests plus the per-second reserve over the window, then refuses', () => {
    const budget = new RetryBudget({ percent: 20, minRetriesPerSecond: 1, window: '10s' });
    const now = 1_000_000;
    for (let i = 0; i < 100; i++) budget.deposit(now);
    let allowed = 0;
    while (budget.tryWithdraw(now)) allowed++;
    expect(allowed).toBe(30);
    // After the window has passed, the old requests no longer count.
    budget.deposit(now + 11_000);
    expect(budget.tryWithdraw(now + 11_000)).toBe(true);
  });

  it('classifies retriable outcomes as Envoy does', () => {
    const gateway = compileRetry({ attempts: 1, on: ['gateway-error'] })!;
    expect([500, 502, 503, 504].map((s) => isRetriable(gateway, s))).toEqual([false, true, true, true]);
    expect(isRetriable(gateway, 'connect-failure')).toBe(true);
    const connect = compileRetry({ attempts: 1, on: ['connect-failure'] })!;
    expect(isRetriable(connect, 503)).toBe(false);
    expect(isRetriable(connect, 'reset')).toBe(false);
    const codes = compileRetry({ attempts: 1, on: ['retriable-status-codes'], statusCodes: [409] })!;
    expect(isRetriable(codes, 409)).toBe(true);
    expect(isRetriable(codes, 503)).toBe(false);
    expect(compileRetry({ attempts: 0 })).toBeUndefined();
  });

  it('draws full-jitter backoff below base x 2^(n-1), capped at maxInterval', () => {
    const policy = compileRetry({ attempts: 5, backoff: { baseInterval: '10ms', maxInterval: '40ms' } })!;
    for (let i = 0; i < 200; i++) {
      expect(backoffMs(policy, 1)).toBeLessThan(10);
      expect(backoffMs(policy, 5)).toBeLessThan(40);
    }
  });

  it('replaces matched path prefixes segment-wise with one slash at the seam', () => {
    expect(replacePrefix('/api/v1/books', '/api/v1', '/v2')).toBe('/v2/books');
    expect(replacePrefix('/api/v1', '/api/v1/', '/v2')).toBe('/v2');
    expect(replacePrefix('/api/v1/books', '/api/v1', '/')).toBe('/books');
    expect(replacePrefix('/api/v1', '/api/v1', '/')).toBe('/');
    expect(replacePrefix('/x', '/', '/root')).toBe('/root/x');
    expect(replacePrefix('/', '/', '/root/')).toBe('/root');
    expect(replacePrefix('/', '/', '/')).toBe('/');
  });

  it('builds redirect locations with the request defaults and well-known ports', () => {
    const request = { authority: 'reviews', port: 9080, path: '/a', query: '?q=1' };
    expect(redirectLocation({}, request, undefined)).toBe('http://reviews:9080/a?q=1');
    expect(redirectLocation({ scheme: 'https' }, request, undefined)).toBe('https://reviews/a?q=1');
    expect(redirectLocation({ scheme: 'https', port: 8443, path: '/b' }, request, undefined)).toBe('https://reviews:8443/b?q=1');
  });

  it('resolves services from Host forms and absolute-form targets', () => {
    expect(resolveTarget('/x', 'reviews:9080', 'shop')).toMatchObject({ key: 'shop/reviews', target: '/x' });
    expect(resolveTarget('/x', 'Reviews.Other', 'shop')).toMatchObject({ key: 'other/reviews' });
    expect(resolveTarget('http://reviews.other.svc.cluster.local:80?x=1', undefined, 'shop')).toMatchObject({
      key: 'other/reviews',
      target: '/?x=1',
    });
    expect(resolveTarget('/x', undefined, 'shop')).toBeUndefined();
    expect(resolveTarget('/x', 'a.b.c', 'shop')).toBeUndefined();
  });
});
