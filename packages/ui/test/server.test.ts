import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../src/index.js';
import { BOOKSTORE_DIR, dashboardClient } from './support/client.js';
import { BOOKSTORE_FLOWS, BOOKSTORE_INSTANCES, startStandInMesh, type StandInMesh } from './support/stand-in-mesh.js';

const BOOKSTORE_SERVICES = ['catalog', 'checkout', 'frontend', 'inventory', 'payments', 'ratings', 'reviews'];

describe('dashboard server without a native mesh', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard({ port: 0, policyDir: BOOKSTORE_DIR });
  });
  afterAll(() => dashboard.close());

  it('listens on 127.0.0.1 by default and names its URL', () => {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('shows every bookstore service with its versions and the calls the policies declare', async () => {
    const topology = await dashboardClient(dashboard.url).topology.query();
    expect(topology.live.mode).toBe('static');
    expect(topology.nodes.map((n) => n.name)).toEqual(BOOKSTORE_SERVICES);
    expect(topology.nodes.find((n) => n.name === 'reviews')?.versions.map((v) => v.name)).toEqual(['v1', 'v2', 'v3']);
    const declared = topology.edges.map((e) => `${e.source}>${e.target}`);
    expect(declared).toContain('bookstore/frontend>bookstore/reviews');
    expect(declared).toContain('bookstore/checkout>bookstore/payments');
    expect(topology.edges.every((e) => e.origin === 'declared' && e.stats === undefined)).toBe(true);
  });

  it('reports the configured reviews split and the policies that apply to reviews', async () => {
    const services = await dashboardClient(dashboard.url).services.query();
    const reviews = services.find((s) => s.name === 'reviews');
    const split = reviews?.splits.find((s) => s.rule === 'reviews-api');
    expect(split?.weights).toEqual([
      { version: 'v1', percent: 80 },
      { version: 'v2', percent: 15 },
      { version: 'v3', percent: 5 },
    ]);
    expect(reviews?.policies).toEqual(expect.arrayContaining(['TrafficRoute/bookstore/reviews', 'TrafficPolicy/bookstore/reviews-v3']));
  });

  it('returns the policy files with their texts and no errors for the bookstore', async () => {
    const view = await dashboardClient(dashboard.url).policies.query();
    expect(view.valid).toBe(true);
    expect(view.files.map((f) => f.file.split('/').at(-1))).toContain('routes.yaml');
    expect(view.files.find((f) => f.file.endsWith('routes.yaml'))?.text).toContain('kind: TrafficRoute');
  });

  it('translates the loaded policies for Istio into YAML manifests with their diagnostics', async () => {
    const translation = await dashboardClient(dashboard.url).translation.query({ mesh: 'istio' });
    expect(translation.manifestCount).toBeGreaterThan(0);
    expect(translation.yaml).toContain('kind: VirtualService');
    expect(translation.diagnostics.every((d) => d.mesh === undefined || d.mesh === 'istio')).toBe(true);
  });

  it('reports per mesh what the loaded policies would lose, with code, feature and path', async () => {
    const reports = await dashboardClient(dashboard.url).gaps.query();
    expect(reports.map((r) => r.mesh)).toEqual(['istio', 'linkerd', 'consul']);
    const mirror = reports.find((r) => r.mesh === 'linkerd')?.gaps.find((g) => g.feature === 'mirror');
    expect(mirror?.diagnostic).toMatchObject({ code: 'AM4001', path: expect.stringContaining('mirror') });
  });

  it('rejects an unknown mesh name with a typed BAD_REQUEST error', async () => {
    const client = dashboardClient(dashboard.url);
    // @ts-expect-error: the router's input type forbids this; the test sends it anyway.
    const error: unknown = await client.translation.query({ mesh: 'kuma' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses to apply without a native mesh, after validating', async () => {
    const client = dashboardClient(dashboard.url);
    const file = (await client.policies.query()).files[0]?.file ?? '';
    const error: unknown = await client.applyPolicy.mutate({ file, text: await readFile(file, 'utf8') }).catch((e: unknown) => e);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('refuses API calls made by another site', async () => {
    const response = await fetch(new URL('trpc/topology', dashboard.url), { headers: { origin: 'http://evil.example' } });
    expect(response.status).toBe(403);
  });

  it('refuses API calls for a foreign host name, as a DNS-rebinding page would send', async () => {
    const { port } = new URL(dashboard.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/trpc/topology', headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('dashboard server on a live mesh', () => {
  let mesh: StandInMesh;
  let dashboard: Dashboard;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anymesh-ui-'));
    await cp(BOOKSTORE_DIR, dir, { recursive: true });
    mesh = await startStandInMesh(BOOKSTORE_INSTANCES, BOOKSTORE_FLOWS);
    dashboard = await startDashboard({ port: 0, policyDir: dir, controlPlaneUrl: mesh.url, scrapeIntervalMs: 250 });
    await new Promise((r) => setTimeout(r, 1_200));
  });
  afterAll(async () => {
    await dashboard.close();
    await mesh.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('computes request rates, success and latency of observed edges from counter deltas', async () => {
    const topology = await dashboardClient(dashboard.url).topology.query();
    expect(topology.live).toMatchObject({ mode: 'live' });
    expect(topology.live.problem).toBeUndefined();
    const toReviews = topology.edges.find((e) => e.id === 'bookstore/frontend>bookstore/reviews');
    expect(toReviews?.origin).toBe('observed');
    // 52 req/s in the stand-in; the window is ~1 s of integer counters, so allow generous bounds.
    expect(toReviews?.stats?.rps).toBeGreaterThan(30);
    expect(toReviews?.stats?.rps).toBeLessThan(80);
    expect(toReviews?.stats?.successPercent).toBeLessThan(100);
    expect(toReviews?.stats?.p99Ms).toBeGreaterThan(250);
    expect(toReviews?.stats?.errors[0]?.code).toBe('503');
  });

  it('lists reviews instances per version as up and shares observed per version', async () => {
    const reviews = (await dashboardClient(dashboard.url).services.query()).find((s) => s.name === 'reviews');
    expect(reviews?.versions.map((v) => [v.name, v.instances.filter((i) => i.up).length])).toEqual([
      ['v1', 1],
      ['v2', 1],
      ['v3', 1],
    ]);
    expect(reviews?.versions[0]?.observedPercent).toBeGreaterThan(60);
  });

  it('returns the diagnostics of an invalid edit and sends nothing to the control plane', async () => {
    const client = dashboardClient(dashboard.url);
    const file = join(dir, 'routes.yaml');
    const text = (await readFile(file, 'utf8')).replace('weight: 80', 'weight: -80');
    const outcome = await client.applyPolicy.mutate({ file, text });
    expect(outcome.applied).toBe(false);
    expect(outcome.diagnostics.some((d) => d.severity === 'error' && d.path.includes('weight'))).toBe(true);
    expect(mesh.applied).toHaveLength(0);
    expect((await client.policies.query()).files.find((f) => f.file === file)?.text).not.toContain('weight: -80');
  });

  it('sends a valid edit to the control plane and shows it as applied from the dashboard', async () => {
    const client = dashboardClient(dashboard.url);
    const file = join(dir, 'routes.yaml');
    const text = (await readFile(file, 'utf8')).replace('weight: 80', 'weight: 70');
    const outcome = await client.applyPolicy.mutate({ file, text });
    expect(outcome).toMatchObject({ applied: true, version: 2 });
    expect(JSON.stringify(mesh.applied[0])).toContain('weight: 70');
    const shown = (await client.policies.query()).files.find((f) => f.file === file);
    expect(shown).toMatchObject({ editedInDashboard: true });
    expect(await readFile(file, 'utf8')).toContain('weight: 80');
  });

  it('answers NOT_FOUND for an edit of a file that is not loaded', async () => {
    const error: unknown = await dashboardClient(dashboard.url)
      .applyPolicy.mutate({ file: '/etc/passwd', text: 'x' })
      .catch((e: unknown) => e);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'NOT_FOUND' });
  });
});
