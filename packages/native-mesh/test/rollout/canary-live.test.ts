import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutEvent, TrafficRoute } from '@anymesh/core';
import type { ConfigSnapshot } from '../../src/protocol/types.js';
import type { LocalMesh } from '../../src/runner/index.js';
import { SteadyLoad, type Sample } from '../integration/steady-load.js';
import { CLI, RolloutApi, rolloutYaml, splitOf, startTestMesh } from './live-mesh.js';

const RATE = 40;
/** Requests sent this soon after a traffic change may have met the sidecar's previous config. */
const SETTLE_MS = 400;

/** The traffic in force over time, from the rollout's events: each change and when it happened. */
function trafficTimeline(events: readonly RolloutEvent[]): { at: number; to: number }[] {
  const changes: { at: number; to: number }[] = [];
  for (const e of events) {
    if (e.traffic.kind !== 'weights') continue;
    if (changes.at(-1)?.to !== e.traffic.to) changes.push({ at: e.at, to: e.traffic.to });
  }
  return changes;
}

/** Samples sent while `change` was in force, leaving out the first SETTLE_MS. */
function during(samples: readonly Sample[], change: { at: number }, next: { at: number } | undefined): Sample[] {
  return samples.filter((s) => s.sentAt >= change.at + SETTLE_MS && (next === undefined || s.sentAt < next.at));
}

describe('canary rollouts on a live native mesh (control plane, sidecars, demo apps)', () => {
  let mesh: LocalMesh;
  let stop: () => Promise<void>;
  let api: RolloutApi;
  beforeAll(async () => {
    ({ mesh, stop } = await startTestMesh([
      { name: 'api', versions: { v1: {}, v2: {} } },
      { name: 'bad', versions: { v1: {}, v2: { ERROR_RATE: '0.2' } } },
    ]));
    api = new RolloutApi(mesh.controlPlane.url, mesh.controlPlane.adminToken);
  });
  afterAll(() => stop?.());

  it('promotes a healthy version through every step, the split at each step within 5 sigma of the plan', async () => {
    const load = new SteadyLoad(`${mesh.ingress.url}/`, 'api.shop', RATE);
    try {
      await load.waitForSamples(10, () => true);
      const yaml = rolloutYaml(
        'api-v2',
        'api',
        'v1',
        'v2',
        '{ canary: { steps: [20, 50, 80] } }',
        '{ interval: 1500ms, minRequests: 3, metrics: [{ name: success-rate, min: 99 }, { name: latency-p99, max: 500ms }] }',
      );
      const started = await api.start(yaml);
      expect(started.status).toBe(200);
      await api.until('api-v2', (s) => s.phase === 'promoted', 20_000, 'promoted');
      const promotedAt = Date.now();
      await load.waitForSamples(15, (s) => s.sentAt > promotedAt + SETTLE_MS);
    } finally {
      await load.stop();
    }
    const events = await api.events('api-v2');
    expect(events.map((e) => e.kind)).toEqual(['started', 'check-passed', 'step', 'check-passed', 'step', 'check-passed', 'promoted']);
    const timeline = trafficTimeline(events);
    expect(timeline.map((c) => c.to)).toEqual([20, 50, 80, 100]);
    const before = load.samples.filter((s) => s.doneAt < events[0]!.at);
    expect(before.every((s) => s.version === 'v1')).toBe(true);
    for (const [i, change] of timeline.entries()) {
      const versions = during(load.samples, change, timeline[i + 1]).map((s) => s.version);
      const split = splitOf(versions, 'v2', change.to);
      expect(split.n, `samples at ${change.to} %`).toBeGreaterThanOrEqual(15);
      expect(split.sigmas, `${change.to} % planned, ${(split.share * 100).toFixed(1)} % of ${split.n} observed`).toBeLessThan(5);
    }
    expect(load.failures()).toEqual([]);
  });

  it('rolls a failing version back within interval × threshold + one interval, naming the metric and its value', async () => {
    const load = new SteadyLoad(`${mesh.ingress.url}/`, 'bad.shop', RATE);
    // When the status said rolled back: the rollback route was in force by then.
    let rolledBackAt = 0;
    try {
      await load.waitForSamples(10, () => true);
      const yaml = rolloutYaml(
        'bad-v2',
        'bad',
        'v1',
        'v2',
        '{ canary: { steps: [50, 60, 70] } }',
        '{ interval: 2s, threshold: 2, minRequests: 5, metrics: [{ name: success-rate, min: 99 }] }',
      );
      expect((await api.start(yaml)).status).toBe(200);
      const rolledBack = await api.until('bad-v2', (s) => s.phase === 'rolled-back', 15_000, 'rolled back');
      expect(rolledBack.traffic).toEqual({ kind: 'weights', from: 100, to: 0 });
      rolledBackAt = Date.now();
      await load.waitForSamples(20, (s) => s.sentAt > rolledBackAt + SETTLE_MS);
    } finally {
      await load.stop();
    }
    const events = await api.events('bad-v2');
    const start = events.find((e) => e.kind === 'started')!;
    const end = events.find((e) => e.kind === 'rolled-back')!;
    expect(end.at - start.at).toBeLessThanOrEqual(2_000 * 2 + 2_000);
    expect(end.reason).toMatch(/success-rate \d+(\.\d+)? ?% < 99 ?%/);
    const after = load.samples.filter((s) => s.sentAt > rolledBackAt + SETTLE_MS);
    expect(after.length).toBeGreaterThanOrEqual(20);
    expect(after.filter((s) => s.version !== 'v1')).toEqual([]);
    expect(after.filter((s) => s.status !== 200)).toEqual([]);
  });

  it('obeys pause, resume, abort, retry and promote over the HTTP API, and answers 409 to a command the phase refuses', async () => {
    const load = new SteadyLoad(`${mesh.ingress.url}/`, 'api.shop', RATE);
    const name = 'api-v2';
    try {
      const yaml = rolloutYaml(
        name,
        'api',
        'v1',
        'v2',
        '{ canary: { steps: [{ weight: 30, pause: {} }, 60] } }',
        '{ interval: 1s, minRequests: 3, metrics: [{ name: success-rate, min: 99 }] }',
      );
      // The spec differs from the promoted run above: a new run starts from step 1.
      const started = await api.start(yaml);
      expect(started.body).toMatchObject({ started: true, status: { phase: 'progressing', step: 0, traffic: { from: 70, to: 30 } } });

      const refusedResume = await api.command(name, 'resume');
      expect(refusedResume.status).toBe(409);
      expect(refusedResume.body).toEqual({
        error: 'command-refused',
        command: 'resume',
        phase: 'progressing',
        message: 'cannot resume api-v2: it is progressing, not paused',
      });
      expect((await api.command(name, 'retry')).status).toBe(409);

      const paused = await api.command(name, 'pause');
      expect(paused.status).toBe(200);
      expect(paused.body.phase).toBe('paused');
      expect((await api.command(name, 'pause')).status).toBe(409);
      // Two intervals while paused: nothing is analysed, the step holds.
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      expect(await api.status(name)).toMatchObject({ phase: 'paused', step: 0, analysis: [] });

      expect((await api.command(name, 'resume')).body.phase).toBe('progressing');
      // Step 1's pause has no duration: after its analysis passes the rollout waits for promote.
      await api.until(name, (s) => s.phase === 'paused' && s.analysis.length > 0, 10_000, 'held by the step pause');

      const aborted = await api.command(name, 'abort');
      expect(aborted.body).toMatchObject({ phase: 'aborted', traffic: { kind: 'weights', from: 100, to: 0 } });
      const abortedAt = Date.now();
      await load.waitForSamples(10, (s) => s.sentAt > abortedAt + SETTLE_MS);
      expect(load.samples.filter((s) => s.sentAt > abortedAt + SETTLE_MS && s.version !== 'v1')).toEqual([]);
      expect((await api.command(name, 'abort')).body).toMatchObject({ error: 'command-refused', phase: 'aborted' });

      const retried = await api.command(name, 'retry');
      expect(retried.body).toMatchObject({ phase: 'progressing', attempt: 2, step: 0, analysis: [], traffic: { from: 70, to: 30 } });

      const promoted = await api.command(name, 'promote');
      expect(promoted.body).toMatchObject({ phase: 'promoted', traffic: { kind: 'weights', from: 0, to: 100 } });
      const promotedAt = Date.now();
      await load.waitForSamples(10, (s) => s.sentAt > promotedAt + SETTLE_MS);
      expect(load.samples.filter((s) => s.sentAt > promotedAt + SETTLE_MS && s.version !== 'v2')).toEqual([]);
      expect((await api.command(name, 'promote')).status).toBe(409);
    } finally {
      await load.stop();
    }
    expect(load.failures()).toEqual([]);
    const kinds = (await api.events(name)).map((e) => e.kind);
    // The history keeps the earlier run, then this one's transitions in order.
    expect(kinds.slice(kinds.lastIndexOf('started'))).toEqual(
      expect.arrayContaining(['started', 'paused', 'resumed', 'check-passed', 'aborted', 'retried', 'promoted']),
    );
  });

  it('answers the rollout API with 404, 400, 401 and 422 where the protocol says, and events after a seq', async () => {
    expect((await api.command('nope', 'pause')).status).toBe(404);
    const unknownCommand = await api.command('api-v2', 'restart');
    expect(unknownCommand.status).toBe(400);
    expect(JSON.stringify(unknownCommand.body)).toContain('use one of promote, pause, resume, abort, retry');
    const anonymous = await fetch(`${api.url}/v1/rollouts`);
    expect(anonymous.status).toBe(401);

    const all = await api.events('api-v2');
    const after = all[all.length - 3]!.seq;
    expect((await api.events('api-v2', after)).map((e) => e.seq)).toEqual(all.slice(-2).map((e) => e.seq));
    const badAfter = await fetch(`${api.url}/v1/rollouts/shop/api-v2/events?after=x`, {
      headers: { authorization: `Bearer ${api.token}` },
    });
    expect(badAfter.status).toBe(400);

    const unknownVersion = await api.start(
      rolloutYaml('api-v9', 'api', 'v1', 'v9', '{ canary: { steps: [50] } }', '{ metrics: [{ name: success-rate, min: 99 }] }'),
    );
    expect(unknownVersion.status).toBe(422);
    expect(unknownVersion.body.started).toBe(false);
    expect(unknownVersion.body.diagnostics.some((d) => d.severity === 'error' && d.message.includes('v9'))).toBe(true);
    expect((await api.status('api-v2')).phase).toBe('promoted');

    const twoDocuments = await api.start(
      `${rolloutYaml('a', 'api', 'v1', 'v2', '{ canary: { steps: [50] } }', '{ metrics: [{ name: success-rate, min: 99 }] }')}---\n${rolloutYaml('b', 'api', 'v1', 'v2', '{ canary: { steps: [50] } }', '{ metrics: [{ name: success-rate, min: 99 }] }')}`,
    );
    expect(twoDocuments.status).toBe(400);
    expect(JSON.stringify(twoDocuments.body)).toContain('must hold exactly one Rollout, not Rollout, Rollout');
  });

  it('resumes at the same step with the same weights after the control plane is SIGKILLed mid-canary, with 0 failed requests', async () => {
    const load = new SteadyLoad(`${mesh.ingress.url}/`, 'api.shop', RATE);
    const children: ControlPlaneProcess[] = [];
    const name = 'api-v2';
    try {
      const yaml = rolloutYaml(
        name,
        'api',
        'v1',
        'v2',
        '{ canary: { steps: [10, 20, 30, 40] } }',
        '{ interval: 1500ms, minRequests: 3, metrics: [{ name: success-rate, min: 99 }] }',
      );
      expect((await api.start(yaml)).body).toMatchObject({ started: true, status: { step: 0 } });
      // Hand over from the runner's in-process control plane to `anymesh control-plane` processes on the same port and state.
      await mesh.controlPlane.close();
      children.push(await startControlPlaneProcess(mesh.stateDir, mesh.controlPlane.port));
      const before = await api.until(name, (s) => s.step >= 1 && s.phase === 'progressing', 10_000, 'at step 2 under the new process');
      const eventsBefore = await api.events(name);
      // SIGKILL right after a step began: the next analysis is an interval away, longer than a restart takes.
      children[0]!.process.kill('SIGKILL');
      await children[0]!.exited;
      children.push(await startControlPlaneProcess(mesh.stateDir, mesh.controlPlane.port));
      const after = await api.status(name);
      expect(after).toMatchObject({ phase: 'progressing', step: before.step, attempt: before.attempt, traffic: before.traffic });
      const planned = before.traffic as { from: number; to: number };
      // Sidecars are served the same split (weights are relative: 4:1 is 80/20).
      const served = (await servedRoute(api, 'api')) as { version: string; weight: number }[];
      const total = served.reduce((sum, d) => sum + d.weight, 0);
      expect(served.map((d) => [d.version, (d.weight * 100) / total])).toEqual([
        ['v1', planned.from],
        ['v2', planned.to],
      ]);
      // It goes on from there to the end; the history keeps every event, no seq handed out twice.
      await api.until(name, (s) => s.phase === 'promoted', 15_000, 'promoted after the restart');
      const eventsAfter = await api.events(name);
      expect(eventsAfter.slice(0, eventsBefore.length)).toEqual(eventsBefore);
      const seqs = eventsAfter.map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      const steps = trafficTimeline(eventsAfter.slice(eventsAfter.findLastIndex((e) => e.kind === 'started'))).map((c) => c.to);
      expect(steps).toEqual([10, 20, 30, 40, 100]);
    } finally {
      await load.stop();
      for (const child of children) {
        child.process.kill('SIGTERM');
        await child.exited;
      }
    }
    expect(load.samples.length).toBeGreaterThan(100);
    expect(load.failures()).toEqual([]);
  });
});

interface ControlPlaneProcess {
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
}

/** `anymesh control-plane` as its own process on `port`, with the runner's state; resolves once it listens. */
async function startControlPlaneProcess(stateDir: string, port: number): Promise<ControlPlaneProcess> {
  const child = spawn(process.execPath, [CLI, 'control-plane', '--state-dir', stateDir, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`control plane did not start within 20 s:\n${stderr}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(`:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`control plane exited (${code}):\n${stderr}`)));
  });
  return { process: child, exited };
}

/** The destinations of the route the control plane serves sidecars for `service` (its first rule). */
async function servedRoute(api: RolloutApi, service: string): Promise<unknown> {
  const response = await fetch(`${api.url}/v1/config`, { headers: { authorization: `Bearer ${api.token}` } });
  const snapshot = (await response.json()) as ConfigSnapshot;
  const route = snapshot.policies.find((p): p is TrafficRoute => p.kind === 'TrafficRoute' && p.spec.service === service);
  return route?.spec.rules[0]?.destinations;
}
