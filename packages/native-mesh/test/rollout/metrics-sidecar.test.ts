import type { VersionRef } from '@anymesh/core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { freePort } from '../../src/runner/index.js';
import { MetricsError, SidecarMetricsProvider } from '../../src/rollout/metrics/index.js';
import { eventually, send, TestMeshNodes, type TestNode } from '../access/harness.js';

const POLICIES = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v3: { labels: { version: v3 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: shop }
spec:
  service: reviews
  rules:
    - name: split
      matches: [{ path: { prefix: / } }]
      destinations: [{ version: v1, weight: 50 }, { version: v3, weight: 50 }]
      retries: { attempts: 3, on: [5xx, connect-failure] }
`;

const V3: VersionRef = { namespace: 'shop', service: 'reviews', version: 'v3' };
const V1: VersionRef = { namespace: 'shop', service: 'reviews', version: 'v1' };

/** An app answering 503 to every fifth request it sees, recording each status it gave. */
function everyFifthFails(statuses: number[]) {
  return () => {
    const status = statuses.length % 5 === 4 ? 503 : 200;
    statuses.push(status);
    return { status };
  };
}

describe('sidecar metrics provider', () => {
  let mesh: TestMeshNodes | undefined;
  afterEach(async () => {
    await mesh?.close();
    mesh = undefined;
  });

  async function bookstore(): Promise<{ client: TestNode; v1: TestNode; v3: TestNode; v3Statuses: number[] }> {
    mesh = new TestMeshNodes();
    const v3Statuses: number[] = [];
    const v1 = await mesh.add({ namespace: 'shop', service: 'reviews', version: 'v1' });
    const v3 = await mesh.add({ namespace: 'shop', service: 'reviews', version: 'v3', behave: everyFifthFails(v3Statuses) });
    const client = await mesh.add({ namespace: 'shop', service: 'client', version: 'v1' });
    mesh.push(POLICIES);
    await send(client.sidecar.outboundPort, 'reviews', '/warm-up');
    return { client, v1, v3, v3Statuses };
  }

  const instancesOf = () => () => mesh!.nodes.map((n) => n.info);

  it('reads a version failing a fifth of its requests as 80 % although callers retry them, from every attempt callers sent', async () => {
    const { client, v1, v3Statuses } = await bookstore();
    const provider = new SidecarMetricsProvider(instancesOf());
    const v3Window = await provider.startWindow(V3);
    const v1Window = await provider.startWindow(V1);
    const v3Before = v3Statuses.length;
    const v1Before = v1.app.seen.length;
    const replies = [];
    for (let i = 0; i < 200; i++) replies.push((await send(client.sidecar.outboundPort, 'reviews', '/r')).status);
    const v3Sample = await v3Window.finish();
    const v1Sample = await v1Window.finish();

    const v3Seen = v3Statuses.slice(v3Before);
    const v3Ok = v3Seen.filter((s) => s === 200).length;
    // Retries hide most failures from the client, not from the version's figures.
    expect(replies.filter((s) => s !== 200).length).toBeLessThan(v3Seen.length - v3Ok);
    expect(v3Sample.requests).toBe(v3Seen.length);
    expect(v3Sample.values['success-rate']).toBeCloseTo((100 * v3Ok) / v3Seen.length, 6);
    expect(v3Sample.values['success-rate']).toBeGreaterThan(75);
    expect(v3Sample.values['success-rate']).toBeLessThan(85);
    expect(v3Sample.missing).toEqual([]);
    expect(v1Sample.requests).toBe(v1.app.seen.length - v1Before);
    expect(v1Sample.values['success-rate']).toBe(100);
    const perSecond = v3Sample.values['request-rate']!;
    expect(perSecond).toBeCloseTo(v3Seen.length / v3Sample.seconds, 6);
  });

  it('reads a killed version as failing, not 100 %, and reports its sidecar missing', async () => {
    const { client, v3 } = await bookstore();
    const provider = new SidecarMetricsProvider(instancesOf(), { timeoutMs: 1000 });
    const window = await provider.startWindow(V3);
    await v3.sidecar.close();
    await v3.app.close();
    for (let i = 0; i < 40; i++) await send(client.sidecar.outboundPort, 'reviews', '/r');
    const sample = await window.finish();
    expect(sample.requests).toBeGreaterThan(0);
    expect(sample.values['success-rate']).toBe(0);
    expect(sample.missing.map((m) => m.instance)).toEqual([v3.info.id]);
    expect(sample.missing[0]!.reason).toMatch(/^unreachable/);
  });

  it('counts requests reaching the version from outside the sidecars once, and those from sidecars once', async () => {
    const { client, v3, v3Statuses } = await bookstore();
    const provider = new SidecarMetricsProvider(instancesOf());
    const window = await provider.startWindow(V3);
    const before = v3Statuses.length;
    for (let i = 0; i < 10; i++) await send(v3.sidecar.inboundPort, 'reviews', '/direct');
    for (let i = 0; i < 30; i++) await send(client.sidecar.outboundPort, 'reviews', '/r');
    const sample = await window.finish();
    expect(sample.requests).toBe(v3Statuses.length - before);
  });

  it('counts mirror copies as the version’s requests (blue/green analysis on mirrored traffic)', async () => {
    const { client, v1, v3Statuses } = await bookstore();
    mesh!.push(
      POLICIES.replace(
        'destinations: [{ version: v1, weight: 50 }, { version: v3, weight: 50 }]',
        'destinations: [{ version: v1 }]\n      mirror: { version: v3, percent: 100 }',
      ),
    );
    await eventually(async () => {
      const before = v1.app.seen.length;
      await send(client.sidecar.outboundPort, 'reviews', '/config-check');
      expect(v1.app.seen.length).toBe(before + 1);
    });
    const provider = new SidecarMetricsProvider(instancesOf());
    const window = await provider.startWindow(V3);
    const before = v3Statuses.length;
    for (let i = 0; i < 30; i++) expect((await send(client.sidecar.outboundPort, 'reviews', '/r')).status).toBe(200);
    // Copies are fire-and-forget: wait until v3 answered them all.
    await eventually(() => expect(v3Statuses.length - before).toBe(30));
    // The caller records a copy when v3's answer has been read: `finish` scrapes again until all are.
    await eventually(async () => {
      const seen = v3Statuses.slice(before);
      const windowed = await window.finish();
      expect(windowed.requests).toBe(seen.length);
      expect(windowed.values['success-rate']).toBeCloseTo((100 * seen.filter((x) => x === 200).length) / seen.length, 6);
    });
  });

  it('measures the latency of the version alone from histogram bucket deltas', async () => {
    const { client, v3 } = await bookstore();
    v3.app.behave = () => ({ delayMs: 30 });
    const provider = new SidecarMetricsProvider(instancesOf());
    const window = await provider.startWindow(V3);
    for (let i = 0; i < 40; i++) await send(client.sidecar.outboundPort, 'reviews', '/slow');
    const sample = await window.finish();
    // Every v3 attempt took ≥ 30 ms, so both quantiles lie above the 25 ms bucket bound; v1's
    // millisecond answers (half of the traffic) would pull the median below it if they leaked in.
    expect(sample.requests).toBeGreaterThan(0);
    expect(sample.values['latency-p50']).toBeGreaterThan(25);
    expect(sample.values['latency-p99']).toBeGreaterThanOrEqual(sample.values['latency-p50']!);
    expect(sample.values['latency-p99']).toBeLessThan(10_000);
  });

  it('gets from a sidecar only the metric families it asks for, and the whole page without asking', async () => {
    const { client } = await bookstore();
    const admin = `http://127.0.0.1:${client.sidecar.adminPort}/metrics`;
    const names = (text: string) => [
      ...new Set(
        text
          .split('\n')
          .filter((l) => l !== '' && !l.startsWith('#'))
          .map((l) => l.replace(/[{ ].*/, '')),
      ),
    ];
    const asked = await (await fetch(`${admin}?name=anymesh_upstream_attempts_total&name=no_such_metric`)).text();
    expect(names(asked)).toEqual(['anymesh_upstream_attempts_total']);
    const whole = names(await (await fetch(admin)).text());
    expect(whole).toContain('anymesh_requests_total');
    expect(whole).toContain('anymesh_upstream_attempts_total');
    expect(whole).toContain('anymesh_upstream_attempt_duration_seconds_bucket');
  });

  it('reports an instance it cannot scrape, and fails typed when it can scrape none', async () => {
    await bookstore();
    const ghost: InstanceInfo = { ...mesh!.nodes[0]!.info, id: 'ghost', adminPort: await freePort() };
    const provider = new SidecarMetricsProvider(() => [...mesh!.nodes.map((n) => n.info), ghost], { timeoutMs: 500 });
    const sample = await (await provider.startWindow(V3)).finish();
    expect(sample.missing).toEqual([
      { instance: 'ghost', address: `127.0.0.1:${ghost.adminPort}`, reason: expect.stringMatching(/^unreachable: .*ECONNREFUSED/) },
    ]);

    // A sidecar that accepts but never answers costs the window its timeout, not more.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const hung: InstanceInfo = { ...ghost, id: 'hung', adminPort: (silent.address() as AddressInfo).port };
      const withHung = new SidecarMetricsProvider(() => [...mesh!.nodes.map((n) => n.info), hung], { timeoutMs: 300 });
      const started = Date.now();
      const window = await withHung.startWindow(V3);
      const hungSample = await window.finish();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(hungSample.missing.map((m) => [m.instance, m.reason])).toEqual([['hung', 'unreachable: no answer within 300 ms']]);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }

    const nothing = new SidecarMetricsProvider(() => [ghost], { timeoutMs: 500 });
    const failed = await (await nothing.startWindow(V3)).finish().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(MetricsError);
    expect((failed as MetricsError).code).toBe('NO_INSTANCES');
    expect((failed as MetricsError).message).toContain('ghost');
  });
});
