import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/index.js';
import type { ApplyResult } from '../../src/protocol/types.js';
import { startLocalMesh, type LocalMesh } from '../../src/runner/index.js';
import { SteadyLoad } from './steady-load.js';

const FIXTURE = fileURLToPath(new URL('../runner/fixtures/two-services', import.meta.url));
const CLI = fileURLToPath(new URL('../../../cli/bin/anymesh.js', import.meta.url));
const RATE = 40;

/** The fixture's policies with the default api rule sending everything to `version`. */
async function policiesRoutingApiTo(version: string) {
  const services = await readFile(join(FIXTURE, 'services.yaml'), 'utf8');
  const workloads = await readFile(join(FIXTURE, 'workloads.yaml'), 'utf8');
  return [
    { file: 'services.yaml', text: services.replace('- destinations: [{ version: v1 }]', `- destinations: [{ version: ${version} }]`) },
    { file: 'workloads.yaml', text: workloads },
  ];
}

describe('native mesh under steady load (real control plane, sidecars and apps)', () => {
  let mesh: LocalMesh;
  let stateDir: string;
  let restarted: ControlPlane | undefined;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'anymesh-int-'));
    mesh = await startLocalMesh({
      paths: [FIXTURE],
      stateDir,
      sidecarCommand: [process.execPath, CLI, 'proxy'],
      load: false,
      heartbeatIntervalMs: 500,
      readyTimeoutMs: 40_000,
    });
  });
  afterAll(async () => {
    await restarted?.close();
    await mesh?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('moves traffic to the new version within 1 s of an apply, with zero failed requests', async () => {
    const load = new SteadyLoad(`${mesh.ingress.url}/items`, 'api.shop', RATE);
    await load.waitForSamples(20, () => true);
    const sources = await policiesRoutingApiTo('v2');
    const postedAt = Date.now();
    const response = await fetch(`${mesh.controlPlane.url}/v1/policies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mesh.controlPlane.adminToken}` },
      body: JSON.stringify({ sources }),
    });
    // The apply is in force at the control plane once it answers; the 1 s bound runs from here.
    const appliedAt = Date.now();
    expect(((await response.json()) as ApplyResult).applied).toBe(true);
    await load.waitForSamples(20, (s) => s.sentAt >= appliedAt + 1_000);
    await load.stop();

    const before = load.samples.filter((s) => s.doneAt < postedAt);
    const settled = load.samples.filter((s) => s.sentAt >= appliedAt + 1_000);
    // A request is routed after it is sent: the first v2 answer's send time bounds when the sidecar switched.
    const firstV2 = Math.min(...load.samples.filter((s) => s.version === 'v2').map((s) => s.sentAt));
    expect(load.failures()).toEqual([]);
    expect(before.length).toBeGreaterThanOrEqual(10);
    expect(before.every((s) => s.version === 'v1')).toBe(true);
    expect(settled.length).toBeGreaterThanOrEqual(20);
    expect(settled.every((s) => s.version === 'v2')).toBe(true);
    expect(firstV2 - appliedAt).toBeLessThan(1_000);
  });

  it('carries every hop between sidecars over mTLS, with certificates the sidecars bootstrapped from their join tokens', async () => {
    for (const instance of mesh.instances.filter((i) => i.service === 'api')) {
      const metrics = await (await fetch(`http://127.0.0.1:${instance.ports.admin}/metrics`)).text();
      expect(metrics).toMatch(
        /anymesh_requests_total\{direction="inbound",source_service="ingress",[^}]*response_code="200",mtls="true"\} \d+/,
      );
      expect(metrics).not.toMatch(/direction="inbound",[^}]*mtls="false"/);
    }
  });

  it('keeps serving on the last config while the control plane is down', async () => {
    const load = new SteadyLoad(`${mesh.ingress.url}/items`, 'api.shop', RATE);
    await load.waitForSamples(10, () => true);
    const killedAt = Date.now();
    await mesh.controlPlane.close();
    // Longer than 3 heartbeat intervals: an instance expiry, were the registry alive, would have happened.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await load.waitForSamples(20, (s) => s.sentAt >= killedAt);
    await load.stop();
    const during = load.samples.filter((s) => s.sentAt >= killedAt);
    expect(load.failures()).toEqual([]);
    expect(during.length).toBeGreaterThanOrEqual(20);
    expect(new Set(during.map((s) => s.version))).toEqual(new Set(['v2']));
  });

  it('resyncs the sidecars when the control plane returns: a later apply takes effect', async () => {
    restarted = await startControlPlane({
      stateDir: join(stateDir, 'control-plane'),
      port: mesh.controlPlane.port,
      heartbeatIntervalMs: 500,
    });
    // Sidecars retry with backoff capped at 2 s; give them that long to reconnect their long-polls.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const load = new SteadyLoad(`${mesh.ingress.url}/items`, 'api.shop', RATE);
    const applied = await restarted.apply(await policiesRoutingApiTo('v1'));
    const appliedAt = Date.now();
    expect(applied.applied).toBe(true);
    await load.waitForSamples(20, (s) => s.sentAt >= appliedAt + 1_000);
    await load.stop();
    expect(load.failures()).toEqual([]);
    const settled = load.samples.filter((s) => s.sentAt >= appliedAt + 1_000);
    expect(settled.length).toBeGreaterThanOrEqual(20);
    expect(settled.every((s) => s.version === 'v1')).toBe(true);
    expect(restarted.instances().map((i) => i.id)).toEqual(['api-v1-0', 'api-v2-0', 'ingress-0', 'web-0', 'web-1']);
  });
});
