import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutEvent } from '@anymesh/core';
import type { LocalMesh } from '../../src/runner/index.js';
import { SteadyLoad, type Sample } from '../integration/steady-load.js';
import { RolloutApi, rolloutYaml, startTestMesh } from './live-mesh.js';

/** Requests sent this soon after a traffic change may have met the sidecar's previous config. */
const SETTLE_MS = 400;

function between(samples: readonly Sample[], from: number, to = Infinity): Sample[] {
  return samples.filter((s) => s.sentAt >= from + SETTLE_MS && s.sentAt < to);
}

function eventAt(events: readonly RolloutEvent[], kind: RolloutEvent['kind']): number {
  const event = events.find((e) => e.kind === kind);
  if (!event) throw new Error(`no ${kind} event in ${events.map((e) => e.kind).join(', ')}`);
  return event.at;
}

const versionsOf = (samples: readonly Sample[]) => [...new Set(samples.map((s) => s.version))].sort();

describe('A/B, blue/green and no-data rollouts on a live native mesh', () => {
  let mesh: LocalMesh;
  let stop: () => Promise<void>;
  let api: RolloutApi;
  beforeAll(async () => {
    ({ mesh, stop } = await startTestMesh([
      { name: 'cat', versions: { v1: {}, v2: {} } },
      { name: 'inv', versions: { v1: {}, v2: {} } },
      { name: 'idle', versions: { v1: {}, v2: {} } },
    ]));
    api = new RolloutApi(mesh.controlPlane.url, mesh.controlPlane.adminToken);
  });
  afterAll(() => stop?.());

  it('A/B: only the cohort reaches the new version until promotion, then everyone does', async () => {
    const everyone = new SteadyLoad(`${mesh.ingress.url}/`, 'cat.shop', 25);
    const beta = new SteadyLoad(`${mesh.ingress.url}/`, 'cat.shop', 20, { 'x-user-type': 'beta' });
    // Client-side times: the start answered once the cohort route was in force; the status says promoted once it is.
    let startedAt = 0;
    let promotedAt = 0;
    try {
      const yaml = rolloutYaml(
        'cat-v2',
        'cat',
        'v1',
        'v2',
        '{ abTest: { match: [{ headers: { x-user-type: { exact: beta } } }], iterations: 3 } }',
        '{ interval: 1s, minRequests: 3, metrics: [{ name: success-rate, min: 99 }] }',
      );
      expect((await api.start(yaml)).body).toMatchObject({ started: true, status: { traffic: { kind: 'cohort' } } });
      startedAt = Date.now();
      await api.until('cat-v2', (s) => s.phase === 'promoted', 15_000, 'promoted');
      promotedAt = Date.now();
      await everyone.waitForSamples(15, (s) => s.sentAt > promotedAt + SETTLE_MS);
    } finally {
      await Promise.all([everyone.stop(), beta.stop()]);
    }
    const events = await api.events('cat-v2');
    // Requests sent before the controller decided to promote were routed by the cohort route.
    const decided = eventAt(events, 'promoted');
    expect(events.filter((e) => e.kind === 'check-passed')).toHaveLength(3);
    const duringEveryone = between(everyone.samples, startedAt, decided);
    const duringBeta = between(beta.samples, startedAt, decided);
    expect(duringEveryone.length).toBeGreaterThanOrEqual(30);
    expect(duringBeta.length).toBeGreaterThanOrEqual(20);
    expect(versionsOf(duringEveryone)).toEqual(['v1']);
    expect(versionsOf(duringBeta)).toEqual(['v2']);
    expect(versionsOf(between([...everyone.samples, ...beta.samples], promotedAt))).toEqual(['v2']);
    expect([...everyone.failures(), ...beta.failures()]).toEqual([]);
  });

  it('blue/green: after the switch no request reaches the old version; abort within scaleDownDelay moves all back at once', async () => {
    const everyone = new SteadyLoad(`${mesh.ingress.url}/`, 'inv.shop', 25);
    const preview = new SteadyLoad(`${mesh.ingress.url}/`, 'inv.shop', 20, { 'x-anymesh-preview': 'true' });
    // Client-side times, as in the A/B test: each answers once the new route is in force.
    let startedAt = 0;
    let switchedAt = 0;
    let abortedAt = 0;
    try {
      const yaml = rolloutYaml(
        'inv-v2',
        'inv',
        'v1',
        'v2',
        '{ blueGreen: { iterations: 2, scaleDownDelay: 30s } }',
        '{ interval: 1s, minRequests: 3, metrics: [{ name: success-rate, min: 99 }] }',
      );
      expect((await api.start(yaml)).status).toBe(200);
      startedAt = Date.now();
      const switched = await api.until('inv-v2', (s) => s.phase === 'promoted', 15_000, 'switched');
      switchedAt = Date.now();
      expect(switched.scaleDownAt).toBeGreaterThan(switchedAt);
      await everyone.waitForSamples(25, (s) => s.sentAt > switchedAt + SETTLE_MS);
      const aborted = await api.command('inv-v2', 'abort');
      expect(aborted.body).toMatchObject({ phase: 'aborted', traffic: { kind: 'weights', from: 100, to: 0 } });
      abortedAt = Date.now();
      await everyone.waitForSamples(25, (s) => s.sentAt > abortedAt + SETTLE_MS);
    } finally {
      await Promise.all([everyone.stop(), preview.stop()]);
    }
    const events = await api.events('inv-v2');
    const decidedSwitch = eventAt(events, 'switched');
    const decidedAbort = eventAt(events, 'aborted');
    const all = [...everyone.samples, ...preview.samples];
    // While analysed: the preview header reaches v2, nothing else does.
    expect(versionsOf(between(everyone.samples, startedAt, decidedSwitch))).toEqual(['v1']);
    expect(versionsOf(between(preview.samples, startedAt, decidedSwitch))).toEqual(['v2']);
    // After the switch, not one request on v1, whether it has the header or not.
    const afterSwitch = between(all, switchedAt, decidedAbort);
    expect(afterSwitch.length).toBeGreaterThanOrEqual(25);
    expect(versionsOf(afterSwitch)).toEqual(['v2']);
    // The abort moves everything back at once.
    expect(versionsOf(between(all, abortedAt))).toEqual(['v1']);
    expect([...everyone.failures(), ...preview.failures()]).toEqual([]);
  });

  it('no data: a new version that gets no traffic is reported as such and not promoted; with syntheticLoad it decides', async () => {
    const analysis = '{ interval: 1s, minRequests: 5, metrics: [{ name: success-rate, min: 99 }] }';
    expect((await api.start(rolloutYaml('idle-v2', 'idle', 'v1', 'v2', '{ canary: { steps: [50] } }', analysis))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    const waiting = await api.status('idle-v2');
    expect(waiting).toMatchObject({ phase: 'progressing', step: 0, failedChecks: 0 });
    expect(waiting.analysis.length).toBeGreaterThanOrEqual(2);
    expect(waiting.analysis.every((p) => p.verdict === 'no-data')).toBe(true);
    expect(waiting.message).toBe('no data: 0 requests reached idle v2 in the last 1s (at least 5 needed)');
    expect((await api.events('idle-v2')).filter((e) => e.kind === 'no-data').length).toBe(waiting.analysis.length);

    const withLoad =
      '{ interval: 1s, minRequests: 5, syntheticLoad: { requestsPerSecond: 20 }, metrics: [{ name: success-rate, min: 99 }] }';
    expect((await api.start(rolloutYaml('idle-v2', 'idle', 'v1', 'v2', '{ canary: { steps: [50] } }', withLoad))).status).toBe(200);
    const decided = await api.until('idle-v2', (s) => s.phase === 'promoted', 10_000, 'decided with synthetic load');
    expect(decided.analysis.at(0)?.verdict).toBe('no-data');
    expect(decided.analysis.at(-1)).toMatchObject({ verdict: 'pass', checks: [{ metric: 'success-rate', value: 100, ok: true }] });
  });
});
