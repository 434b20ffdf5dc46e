import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Diagnostic, Rollout } from '@anymesh/core';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../src/index.js';
import { canaryDraft, ROLLBACK_EVENTS, rolloutStatus } from './fixtures/rollouts.js';
import { BOOKSTORE_DIR, dashboardClient } from './support/client.js';
import { BOOKSTORE_FLOWS, BOOKSTORE_INSTANCES, startStandInMesh, type StandInMesh } from './support/stand-in-mesh.js';
import { standInRollouts, type StandInRollouts } from './support/stand-in-rollouts.js';

const CLI_BIN = fileURLToPath(new URL('../../cli/bin/anymesh.js', import.meta.url));
const TOKEN = 'admin-token-for-tests';

const SPEC: Rollout = {
  apiVersion: 'anymesh.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'reviews-v3', namespace: 'bookstore' },
  spec: {
    service: 'reviews',
    from: 'v1',
    to: 'v3',
    strategy: { canary: { steps: [10, 25, { weight: 50, pause: {} }] } },
    analysis: {
      metrics: [
        { name: 'success-rate', min: 99 },
        { name: 'latency-p99', max: '0.5s' },
      ],
    },
  },
};

describe('rollout procedures against a control plane', () => {
  let mesh: StandInMesh;
  let api: StandInRollouts;
  let dashboard: Dashboard;
  beforeAll(async () => {
    api = standInRollouts();
    mesh = await startStandInMesh(BOOKSTORE_INSTANCES, BOOKSTORE_FLOWS, api.routes);
    dashboard = await startDashboard({
      port: 0,
      policyDir: BOOKSTORE_DIR,
      controlPlaneUrl: mesh.url,
      controlPlaneToken: TOKEN,
      scrapeIntervalMs: 300,
    });
  });
  afterAll(async () => {
    await dashboard.close();
    await mesh.close();
  });
  beforeEach(() => {
    api.received.length = 0;
    api.rollouts = [rolloutStatus()];
    api.events = ROLLBACK_EVENTS;
    api.policies = [SPEC];
  });

  it('lists the control plane rollouts, asking with the admin token', async () => {
    const list = await dashboardClient(dashboard.url).rollouts.list.query();
    expect(list.map((r) => `${r.name} ${r.phase} ${r.step}/${r.steps}`)).toEqual(['reviews-v3 progressing 1/3']);
    expect(api.received.find((r) => r.url === '/v1/rollouts')?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('gives the detail page the status, every event, the canary ladder and the bounds in milliseconds', async () => {
    const detail = await dashboardClient(dashboard.url).rollouts.detail.query({ namespace: 'bookstore', name: 'reviews-v3' });
    expect(detail.status.analysis.map((p) => p.verdict)).toEqual(['fail', 'no-data', 'fail']);
    expect(detail.events.map((e) => e.kind)).toEqual(['started', 'rolled-back']);
    expect(detail.ladder).toEqual([10, 25, 50]);
    expect(detail.thresholds).toEqual([
      { metric: 'success-rate', min: 99 },
      { metric: 'latency-p99', max: 500 },
    ]);
  });

  it('reads the spec from the policies in force once per start, not on every refresh', async () => {
    api.rollouts = [rolloutStatus({ startedAt: 1 })];
    const client = dashboardClient(dashboard.url);
    for (let i = 0; i < 3; i++) await client.rollouts.detail.query({ namespace: 'bookstore', name: 'reviews-v3' });
    expect(api.received.filter((r) => r.url.startsWith('/v1/config'))).toHaveLength(1);
    api.rollouts = [rolloutStatus({ startedAt: 2 })];
    expect((await client.rollouts.detail.query({ namespace: 'bookstore', name: 'reviews-v3' })).ladder).toEqual([10, 25, 50]);
    expect(api.received.filter((r) => r.url.startsWith('/v1/config'))).toHaveLength(2);
  });

  it('takes the bounds from the last checks when the spec is not in force', async () => {
    api.rollouts = [rolloutStatus({ startedAt: 3 })];
    api.policies = [];
    const detail = await dashboardClient(dashboard.url).rollouts.detail.query({ namespace: 'bookstore', name: 'reviews-v3' });
    expect(detail.ladder).toEqual([]);
    expect(detail.thresholds).toEqual([{ metric: 'success-rate', min: 99 }]);
  });

  it('answers NOT_FOUND for a rollout the control plane does not know', async () => {
    const error = await dashboardClient(dashboard.url)
      .rollouts.detail.query({ namespace: 'bookstore', name: 'nope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'NOT_FOUND' });
  });

  it("passes a command on and returns the control plane's reason when it refuses one", async () => {
    const client = dashboardClient(dashboard.url);
    const paused = await client.rollouts.command.mutate({ namespace: 'bookstore', name: 'reviews-v3', command: 'pause' });
    expect(paused.done && paused.status.phase).toBe('paused');
    expect(api.received.at(-1)).toMatchObject({
      method: 'POST',
      url: '/v1/rollouts/bookstore/reviews-v3/pause',
      authorization: `Bearer ${TOKEN}`,
    });
    const refused = await client.rollouts.command.mutate({ namespace: 'bookstore', name: 'reviews-v3', command: 'resume' });
    expect(refused).toEqual({ done: false, message: 'cannot resume reviews-v3: it is progressing, not paused' });
  });

  it('offers each reviews version with its live instance count and the current values of v1', async () => {
    const client = dashboardClient(dashboard.url);
    let reviews;
    for (let i = 0; i < 60; i++) {
      reviews = (await client.rollouts.wizardOptions.query()).services.find((s) => s.name === 'reviews');
      if ((reviews?.versions.find((v) => v.name === 'v3')?.requests ?? 0) >= 10) break;
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(reviews?.versions.map((v) => `${v.name} ${v.instancesUp}/${v.instances}`)).toEqual(['v1 1/1', 'v2 1/1', 'v3 1/1']);
    const v1 = reviews?.versions.find((v) => v.name === 'v1');
    const v3 = reviews?.versions.find((v) => v.name === 'v3');
    // The stand-in: v1 40 req/s, all 200 in 10 ms; v3 5 req/s, 40 % 503 in 300 ms.
    expect(v1?.current['success-rate']).toBe(100);
    expect(v1?.current['request-rate']).toBeGreaterThan(20);
    expect(v1?.current['latency-p99']).toBeLessThanOrEqual(10);
    expect(v3?.current['success-rate']).toBeLessThan(70);
    expect(reviews?.activeRollout).toBe('bookstore/reviews-v3');
  });

  it('starts nothing when the draft is invalid, and says why on the field', async () => {
    const outcome = await dashboardClient(dashboard.url).rollouts.start.mutate(
      canaryDraft({ steps: [50, 25].map((weight) => ({ weight, pause: 'none' as const, duration: '' })) }),
    );
    expect(outcome.started).toBe(false);
    expect(outcome.diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual(['AM3015 spec.strategy.canary.steps[1]']);
    expect(api.received.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('posts a valid rollout to the control plane as one YAML source', async () => {
    api.startAnswer = { status: 200, body: { started: true, status: rolloutStatus({ step: 0 }), diagnostics: [] } };
    const outcome = await dashboardClient(dashboard.url).rollouts.start.mutate(canaryDraft());
    expect(outcome).toEqual({ started: true, namespace: 'bookstore', name: 'reviews-v3', diagnostics: [] });
    const sent = api.received.find((r) => r.method === 'POST' && r.url === '/v1/rollouts')?.body as {
      source: { file: string; text: string };
    };
    expect(sent.source.file).toBe('dashboard/reviews-v3.yaml');
    expect(sent.source.text).toContain('kind: Rollout');
    expect(sent.source.text).toMatch(/steps:\n\s+- 10\n\s+- 25\n\s+- 50/);
  });

  it("shows the control plane's diagnostics when it refuses the rollout", async () => {
    const refusal: Diagnostic = {
      code: 'AM3009',
      severity: 'error',
      file: 'x',
      line: 1,
      col: 1,
      path: 'spec.service',
      message: 'two rollouts of reviews',
    };
    api.startAnswer = { status: 422, body: { started: false, diagnostics: [refusal] } };
    const outcome = await dashboardClient(dashboard.url).rollouts.start.mutate(canaryDraft());
    expect(outcome).toEqual({ started: false, diagnostics: [refusal], message: 'the control plane refused the rollout' });
  });
});

describe('the wizard validates like the CLI', () => {
  let dashboard: Dashboard;
  let work: string;
  beforeAll(async () => {
    dashboard = await startDashboard({ port: 0, policyDir: BOOKSTORE_DIR });
    work = await mkdtemp(join(tmpdir(), 'anymesh-wizard-'));
  });
  afterAll(async () => {
    await dashboard.close();
    await rm(work, { recursive: true, force: true });
  });

  it('reports the diagnostics `anymesh validate` reports for the same file, at the same lines and paths', async () => {
    const draft = canaryDraft({
      steps: [
        { weight: 30, pause: 'none', duration: '' },
        { weight: 20, pause: 'timed', duration: '1m' },
        { weight: 150, pause: 'none', duration: '' },
      ],
      metrics: [{ name: 'latency-p99', min: '', max: '10' }],
      to: 'v9',
    });
    const review = await dashboardClient(dashboard.url).rollouts.review.query({ draft, meshes: false });
    expect(review.valid).toBe(false);

    // The same YAML beside the bookstore (whose own reviews-v3 rollout the wizard's replaces), through the real CLI.
    const dir = join(work, 'bookstore');
    await cp(BOOKSTORE_DIR, dir, { recursive: true });
    await rm(join(dir, 'rollouts.yaml'), { force: true });
    await mkdir(join(dir, 'dashboard'));
    await writeFile(join(dir, review.file), review.yaml);
    const cli = await promisify(execFile)(process.execPath, [CLI_BIN, 'validate', dir, '-o', 'json']).catch((e: { stdout: string }) => e);
    const fromCli = (JSON.parse(cli.stdout) as { diagnostics: Diagnostic[] }).diagnostics.filter((d) => d.file.endsWith(review.file));
    const shape = (d: Diagnostic) => `${d.code} ${d.line}:${d.col} ${d.path} ${d.message}`;
    expect(review.diagnostics.map(shape)).toEqual(fromCli.map(shape));
    expect(review.diagnostics.map((d) => d.path)).toEqual(expect.arrayContaining(['spec.strategy.canary.steps[2]']));
  }, 60_000);

  it('finds an unknown version and decreasing steps once the schema holds', async () => {
    const draft = canaryDraft({ to: 'v9', steps: [30, 20].map((weight) => ({ weight, pause: 'none' as const, duration: '' })) });
    const review = await dashboardClient(dashboard.url).rollouts.review.query({ draft, meshes: false });
    expect(review.diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual(['AM3010 spec.to', 'AM3015 spec.strategy.canary.steps[1]']);
  });

  it('replaces a Rollout of the same name from the policy directory instead of reporting a duplicate', async () => {
    const review = await dashboardClient(dashboard.url).rollouts.review.query({ draft: canaryDraft(), meshes: false });
    expect(review.diagnostics).toEqual([]);
    expect(review.valid).toBe(true);
  });

  it("shows each mesh's configuration of step one: 10 % of reviews-api's v1 and v3 share to v3", async () => {
    const review = await dashboardClient(dashboard.url).rollouts.review.query({ draft: canaryDraft(), meshes: true });
    expect(review.stages.map((s) => s.label)).toEqual([
      'step 1 of 3: 10 % to v3',
      'step 2 of 3: 25 % to v3',
      'step 3 of 3: 50 % to v3',
      'promoted: 100 % to v3',
      'rolled back or aborted: 100 % to v1',
    ]);
    expect(review.firstStage?.meshes.map((m) => m.mesh)).toEqual(['istio', 'linkerd', 'consul']);
    // reviews-api gives v1 80 and v3 5 (v2 15 is kept): step one moves 10 % of those 85 to v3.
    const consul = review.firstStage?.meshes.find((m) => m.mesh === 'consul');
    expect(consul?.yaml).toMatch(/service: reviews\n\s+serviceSubset: v1\n\s+weight: 76\.5/);
    expect(consul?.yaml).toMatch(/serviceSubset: v3\n\s+weight: 8\.5/);
    // Only the rollout's service is translated.
    expect(review.firstStage?.meshes.every((m) => !/name: catalog/.test(m.yaml))).toBe(true);
  });

  it('flags a cookie cohort on Linkerd at review, before anything starts', async () => {
    const draft = canaryDraft({ strategy: 'abTest', cohort: [{ kind: 'cookie', name: 'tester', value: 'yes' }], iterations: '3' });
    const review = await dashboardClient(dashboard.url).rollouts.review.query({ draft, meshes: true });
    expect(review.valid).toBe(true);
    const linkerd = review.firstStage?.meshes.find((m) => m.mesh === 'linkerd');
    expect(linkerd?.diagnostics.some((d) => d.severity === 'warning' && d.path.endsWith('headers.cookie'))).toBe(true);
  });

  it('refuses to start without a control plane, with what to do', async () => {
    const options = await dashboardClient(dashboard.url).rollouts.wizardOptions.query();
    expect(options.cannotStart).toMatch(/anymesh up/);
    const error = await dashboardClient(dashboard.url)
      .rollouts.start.mutate(canaryDraft())
      .catch((e: unknown) => e);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'PRECONDITION_FAILED' });
  });
});
