import type { VersionRef } from '@anymesh/core';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createRootCA } from '../../src/identity/index.js';
import { MetricsError, SidecarMetricsProvider } from '../../src/rollout/metrics/index.js';
import { isLoopback, SyntheticLoadGenerator, syntheticLoadCredentials, type SyntheticLoadRun } from '../../src/rollout/synthetic-load.js';
import { eventually, send, TestMeshNodes } from '../access/harness.js';
import { identityFrom, idOf } from '../identity/support/tls-mesh.js';

const SERVICES = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v3: { labels: { version: v3 } } }
`;
const STRICT_DENY = `---
apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: test }
spec:
  mtls: { mode: strict }
  defaultAccess: deny
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: reviews, namespace: shop }
spec:
  rules:
    - name: synthetic-load-reaches-reviews
      action: allow
      from: [{ identity: spiffe://cluster.local/ns/shop/sa/anymesh-synthetic-load }]
      to: { service: reviews }
`;
const V3: VersionRef = { namespace: 'shop', service: 'reviews', version: 'v3' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('synthetic load', () => {
  let mesh: TestMeshNodes | undefined;
  let run: SyntheticLoadRun | undefined;
  afterEach(async () => {
    await run?.stop();
    await mesh?.close();
    run = undefined;
    mesh = undefined;
  });

  async function plainMesh() {
    mesh = new TestMeshNodes();
    const v1 = await mesh.add({ namespace: 'shop', service: 'reviews', version: 'v1' });
    const v3 = await mesh.add({ namespace: 'shop', service: 'reviews', version: 'v3' });
    const client = await mesh.add({ namespace: 'shop', service: 'client', version: 'v1' });
    mesh.push(SERVICES);
    await send(client.sidecar.outboundPort, 'reviews', '/warm-up');
    return { v1, v3 };
  }

  it('reaches only the new version, through its sidecar, and is counted by the sidecar provider', async () => {
    const { v1, v3 } = await plainMesh();
    const instances = () => mesh!.nodes.map((n) => n.info);
    const window = await new SidecarMetricsProvider(instances).startWindow(V3);
    const v1Before = v1.app.seen.length;
    const v3Before = v3.app.seen.length;
    run = new SyntheticLoadGenerator(instances).start(V3, { requestsPerSecond: 50, path: '/synthetic', headers: { 'x-user': 'load' } });
    await sleep(600);
    await run.stop();
    const sample = await window.finish();
    const seen = v3.app.seen.slice(v3Before);
    expect(run.sent()).toBeGreaterThan(0);
    expect(seen).toHaveLength(run.sent());
    expect(seen.every((r) => r.url === '/synthetic' && r.headers['x-user'] === 'load')).toBe(true);
    expect(v1.app.seen.length).toBe(v1Before);
    expect(run.answers()).toEqual(new Map([[200, run.sent()]]));
    expect(sample.requests).toBe(run.sent());
    expect(sample.values['success-rate']).toBe(100);
    const metrics = await (await fetch(`http://127.0.0.1:${v3.sidecar.adminPort}/metrics`)).text();
    expect(metrics).toMatch(
      /anymesh_requests_total\{direction="inbound",source_service="anymesh-synthetic-load",[^}]*destination_version="v3"/,
    );
  });

  it('never exceeds its rate, capped at 100 per second: no window of W s holds more than rate·W + 1 requests', async () => {
    const { v3 } = await plainMesh();
    const before = v3.app.seen.length;
    let total = 0;
    for (const [asked, bound] of [
      [1000, 100],
      [20, 20],
    ] as const) {
      const generator = new SyntheticLoadGenerator(() => mesh!.nodes.map((n) => n.info));
      run = generator.start(V3, { requestsPerSecond: asked });
      await sleep(100);
      const t1 = performance.now();
      const n1 = run.sent();
      await sleep(1000);
      const n2 = run.sent();
      const t2 = performance.now();
      // Requests are ≥ 1/rate apart on the monotonic clock: a hard bound (no sigma needed), and
      // the count in [t1, t2] is at most rate·(t2 − t1) + 1 however slow the timers were.
      expect(n2 - n1).toBeLessThanOrEqual(Math.floor((bound * (t2 - t1)) / 1000) + 1);
      expect(n2 - n1).toBeGreaterThan(0);
      await run.stop();
      total += run.sent();
    }
    // Every request sent arrived (stop waits for those in flight).
    expect(v3.app.seen.length - before).toBe(total);
    run = undefined;
  });

  it('refuses an instance that is not on a loopback address, before sending anything', async () => {
    await plainMesh();
    const remote = { ...mesh!.nodes[1]!.info, id: 'reviews-v3-remote', host: '10.1.2.3' };
    const generator = new SyntheticLoadGenerator(() => [...mesh!.nodes.map((n) => n.info), remote]);
    let error: unknown;
    try {
      run = generator.start(V3, { requestsPerSecond: 10 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MetricsError);
    expect((error as MetricsError).code).toBe('NOT_LOOPBACK');
    expect((error as MetricsError).message).toContain('10.1.2.3');
    expect(run).toBeUndefined();
    expect(() => new SyntheticLoadGenerator(() => []).start(V3, { requestsPerSecond: 10 })).toThrow(/no instance/);
  });

  it('recognises loopback literals only', () => {
    expect(['127.0.0.1', '127.3.2.1', '::1', '[::1]', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true, true]);
    expect(['10.0.0.1', '0.0.0.0', 'localhost', 'example.com', '::', '128.0.0.1'].map(isLoopback)).toEqual(Array(6).fill(false));
  });

  it('presents a mesh identity over mTLS in strict mode, which access policies can allow', async () => {
    const { ca } = await createRootCA('cluster.local');
    mesh = new TestMeshNodes();
    const v3 = await mesh.add({
      namespace: 'shop',
      service: 'reviews',
      version: 'v3',
      identity: identityFrom(ca, idOf('reviews')),
    });
    mesh.push(SERVICES + STRICT_DENY);
    const credentials = await syntheticLoadCredentials(ca, 'shop');
    const instances = () => mesh!.nodes.map((n) => n.info);
    const window = await new SidecarMetricsProvider(instances).startWindow(V3);
    run = new SyntheticLoadGenerator(instances, { credentials: () => credentials }).start(V3, { requestsPerSecond: 40 });
    await sleep(500);
    await run.stop();
    expect(run.sent()).toBeGreaterThan(0);
    expect(run.answers()).toEqual(new Map([[200, run.sent()]]));
    expect((await window.finish()).requests).toBe(run.sent());
    const metrics = await (await fetch(`http://127.0.0.1:${v3.sidecar.adminPort}/metrics`)).text();
    expect(metrics).toMatch(/source_service="anymesh-synthetic-load",[^}]*mtls="true"/);
    // Without credentials the strict sidecar does not let the load in.
    run = new SyntheticLoadGenerator(instances).start(V3, { requestsPerSecond: 40 });
    await sleep(200);
    await run.stop();
    expect(run.answers().get(200)).toBeUndefined();
    // Without the allow rule, default deny refuses the load's identity: policies apply to it as to any caller.
    mesh.push(SERVICES + STRICT_DENY.slice(0, STRICT_DENY.indexOf('---', 4)));
    await eventually(async () => {
      run = new SyntheticLoadGenerator(instances, { credentials: () => credentials }).start(V3, { requestsPerSecond: 40 });
      await sleep(100);
      await run.stop();
      expect(run.sent()).toBeGreaterThan(0);
      expect(run.answers()).toEqual(new Map([[403, run.sent()]]));
    });
  });
});
