import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { fiveSigma, many, NS, SERVICES_YAML, startMesh, type TestMesh, HEAVY_TEST_TIMEOUT_MS } from './support/mesh.js';

const route = (rules: string) => `${SERVICES_YAML(['reviews', 'client'])}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: ${NS} }
spec:
  service: reviews
  rules:
${rules}
`;

describe('fault injection and mirroring', () => {
  let mesh: TestMesh | undefined;
  afterEach(async () => {
    await mesh?.close();
    mesh = undefined;
  });

  it(
    'aborts the configured percentage of requests with the fault status, within 5-sigma bounds',
    async () => {
      mesh = await startMesh(route('    - fault: { abort: { httpStatus: 418, percent: 25 } }\n      destinations: [{ version: v1 }]'), [
        { service: 'reviews', version: 'v1' },
      ]);
      const replies = await many(1000, 16, () => mesh!.call('reviews', '/x'));
      const aborted = replies.filter((r) => r.status === 418);
      const [lo, hi] = fiveSigma(1000, 0.25);
      console.log(`fault: ${aborted.length}/1000 aborted (bounds ${lo.toFixed(0)}..${hi.toFixed(0)})`);
      expect(aborted.length).toBeGreaterThanOrEqual(lo);
      expect(aborted.length).toBeLessThanOrEqual(hi);
      expect(aborted.every((r) => r.headers['x-anymesh-reason'] === 'fault-abort')).toBe(true);
      expect(mesh.apps.get('reviews-v1-0')!.seen.length).toBe(1000 - aborted.length);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it('delays matching requests by the fixed delay before forwarding them', async () => {
    mesh = await startMesh(
      route(
        '    - matches: [{ headers: { x-chaos: { present: true } } }]\n      fault: { delay: { fixed: 300ms, percent: 100 } }\n    - destinations: [{ version: v1 }]',
      ),
      [{ service: 'reviews', version: 'v1' }],
    );
    const start = performance.now();
    const reply = await mesh.call('reviews', '/x', { headers: { 'x-chaos': '1' } });
    expect(reply.status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(300);
  });

  it(
    'mirrors about the configured percentage of requests to the mirror version, marked -shadow',
    async () => {
      mesh = await startMesh(route('    - destinations: [{ version: v1 }]\n      mirror: { version: v2, percent: 30 }'), [
        { service: 'reviews', version: 'v1' },
        { service: 'reviews', version: 'v2' },
      ]);
      const replies = await many(1000, 16, () => mesh!.call('reviews', '/x'));
      expect(replies.every((r) => r.status === 200 && r.body === 'reviews-v1-0')).toBe(true);
      await waitFor(() => mesh!.apps.get('reviews-v2-0')!.seen.length >= 200);
      await new Promise((r) => setTimeout(r, 200));
      const mirrored = mesh.apps.get('reviews-v2-0')!.seen;
      const [lo, hi] = fiveSigma(1000, 0.3);
      console.log(`mirror: ${mirrored.length}/1000 mirrored (bounds ${lo.toFixed(0)}..${hi.toFixed(0)})`);
      expect(mirrored.length).toBeGreaterThanOrEqual(lo);
      expect(mirrored.length).toBeLessThanOrEqual(hi);
      expect(mirrored.every((r) => r.headers.host === 'reviews-shadow')).toBe(true);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it('answers from the primary while the mirror hangs or fails, and bounds the copies in flight', async () => {
    mesh = await startMesh(route('    - destinations: [{ version: v1 }]\n      mirror: { version: v2, percent: 100 }'), [
      { service: 'reviews', version: 'v1' },
      { service: 'reviews', version: 'v2', behave: (req) => (req.url === '/fail' ? { status: 500 } : { delayMs: 20_000 }) },
    ]);
    const replies = await many(200, 8, (i) => mesh!.call('reviews', i % 2 ? '/fail' : '/hang'));
    expect(replies.every((r) => r.status === 200 && r.body === 'reviews-v1-0')).toBe(true);
    const hung = mesh.apps.get('reviews-v2-0')!.seen.filter((r) => r.url === '/hang').length;
    expect(hung).toBeLessThanOrEqual(64);
    expect(await mesh.metrics()).toMatch(/anymesh_mirror_dropped_total \d+/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}
