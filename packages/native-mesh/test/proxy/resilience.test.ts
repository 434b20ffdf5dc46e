import { afterEach, describe, expect, it } from 'vitest';
import { many, NS, SERVICES_YAML, startMesh, type TestMesh, HEAVY_TEST_TIMEOUT_MS } from './support/mesh.js';

const route = (rule: string, policy = '') => `${SERVICES_YAML(['reviews', 'client'], ['v1'])}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: ${NS} }
spec:
  service: reviews
  rules:
    - ${rule}
${policy && `---\napiVersion: anymesh.io/v1alpha1\nkind: TrafficPolicy\nmetadata: { name: reviews, namespace: ${NS} }\nspec:\n  target: { service: reviews }\n  ${policy}\n`}`;

describe('timeouts, retries and the retry budget', () => {
  let mesh: TestMesh | undefined;
  afterEach(async () => {
    await mesh?.close();
    mesh = undefined;
  });

  it('answers 504 request-timeout when the upstream does not answer within the route timeout', async () => {
    mesh = await startMesh(route('timeout: 200ms'), [{ service: 'reviews', version: 'v1', behave: () => ({ delayMs: 2_000 }) }]);
    const reply = await mesh.call('reviews', '/slow');
    expect(reply.status).toBe(504);
    expect(reply.headers['x-anymesh-reason']).toBe('request-timeout');
  });

  it('retries an attempt that exceeds the per-try timeout and succeeds on the next one', async () => {
    let n = 0;
    mesh = await startMesh(route('retries: { attempts: 2, perTryTimeout: 150ms, on: [reset] }\n      timeout: 5s'), [
      { service: 'reviews', version: 'v1', behave: () => (n++ % 2 === 0 ? { delayMs: 2_000 } : { body: 'fast' }) },
    ]);
    const reply = await mesh.call('reviews', '/x');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('fast');
    expect(n).toBe(2);
    expect(await mesh.metrics()).toMatch(/anymesh_retries_total\{destination_service="reviews",destination_version="\*"\} 1/);
  });

  it('answers 504 per-try-timeout when every attempt times out', async () => {
    mesh = await startMesh(route('retries: { attempts: 1, perTryTimeout: 100ms, backoff: { baseInterval: 1ms } }'), [
      { service: 'reviews', version: 'v1', behave: () => ({ delayMs: 2_000 }) },
    ]);
    const reply = await mesh.call('reviews', '/x');
    expect(reply.status).toBe(504);
    expect(reply.headers['x-anymesh-reason']).toBe('per-try-timeout');
  });

  it(
    'turns a 30%-failing upstream into at least 99% success with retries',
    async () => {
      mesh = await startMesh(
        route('retries: { attempts: 5, on: [5xx], backoff: { baseInterval: 1ms } }', 'retryBudget: { percent: 100 }'),
        [{ service: 'reviews', version: 'v1', behave: () => (Math.random() < 0.3 ? { status: 503 } : {}) }],
      );
      const replies = await many(1000, 16, () => mesh!.call('reviews', '/x'));
      const ok = replies.filter((r) => r.status === 200).length;
      const attempts = mesh.apps.get('reviews-v1-0')!.seen.length;
      console.log(`retries: ${ok}/1000 succeeded (${(ok / 10).toFixed(1)}%), ${attempts} upstream attempts`);
      expect(ok).toBeGreaterThanOrEqual(990);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it('does not retry a request whose body was streamed beyond the 64 KiB replay buffer', async () => {
    let n = 0;
    mesh = await startMesh(route('retries: { attempts: 3, on: [5xx], backoff: { baseInterval: 1ms } }'), [
      { service: 'reviews', version: 'v1', behave: () => (n++ === 0 ? { status: 503 } : {}) },
    ]);
    const big = 'x'.repeat(100 * 1024);
    const reply = await mesh.call('reviews', '/upload', { method: 'POST', body: big });
    expect(reply.status).toBe(503);
    expect(mesh.apps.get('reviews-v1-0')!.seen[0]!.body.length).toBe(big.length);
    const small = await mesh.call('reviews', '/upload', { method: 'POST', body: 'small' });
    expect(small.status).toBe(200);
  });

  it(
    'caps upstream attempts at (1 + budget%) x requests + the minimum retries when every attempt fails',
    async () => {
      mesh = await startMesh(
        route(
          'retries: { attempts: 3, on: [5xx], backoff: { baseInterval: 1ms } }',
          'retryBudget: { percent: 20, minRetriesPerSecond: 1, window: 30s }',
        ),
        [{ service: 'reviews', version: 'v1', behave: () => ({ status: 503 }) }],
      );
      const requests = 500;
      const replies = await many(requests, 8, () => mesh!.call('reviews', '/x'));
      expect(replies.every((r) => r.status === 503)).toBe(true);
      const attempts = mesh.apps.get('reviews-v1-0')!.seen.length;
      const cap = requests * 1.2 + 30;
      console.log(
        `budget: ${requests} requests -> ${attempts} upstream attempts (amplification ${(attempts / requests).toFixed(3)}, cap ${cap}; without a budget ${requests * 4})`,
      );
      expect(attempts).toBeLessThanOrEqual(cap);
      expect(attempts).toBeGreaterThan(requests * 1.1);
      expect(await mesh.metrics()).toMatch(/anymesh_retry_budget_exhausted_total\{[^}]*\} \d+/);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
