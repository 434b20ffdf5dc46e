import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../src/runner/free-port.js';
import { RunnerError, startLocalMesh, type LocalMesh, type LocalMeshEvent } from '../../src/runner/index.js';
import { getJson, groupAlive } from './support.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/two-services', import.meta.url));
// The real sidecar is exercised by test/integration; this stand-in isolates the runner.
const STUB_SIDECAR = [process.execPath, fileURLToPath(new URL('./fixtures/stub-sidecar.mjs', import.meta.url))];

describe('local runner (startLocalMesh) with a stand-in sidecar', () => {
  let mesh: LocalMesh;
  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'anymesh-up-'));
    mesh = await startLocalMesh({
      paths: [FIXTURE],
      stateDir,
      sidecarCommand: STUB_SIDECAR,
      load: { ratePerSecond: 10, service: 'web' },
      heartbeatIntervalMs: 200,
      readyTimeoutMs: 20_000,
    });
  });
  afterAll(async () => {
    await mesh?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('starts every replica with its sidecar and registers them all, plus the ingress', () => {
    expect(mesh.instances.map((i) => i.id)).toEqual(['web-0', 'web-1', 'api-v1-0', 'api-v2-0']);
    const registered = mesh.controlPlane.instances().map((i) => i.id);
    expect(registered).toEqual(['api-v1-0', 'api-v2-0', 'ingress-0', 'web-0', 'web-1']);
    const ports = mesh.instances.flatMap((i) => Object.values(i.ports));
    expect(new Set(ports).size).toBe(ports.length);
    expect(mesh.entryPoints.map((e) => e.host)).toEqual(['web.shop', 'api.shop']);
    // No AccessPolicy and the default defaultAccess (allow): both answer from outside.
    expect(mesh.entryPoints.every((e) => e.reachableFromIngress)).toBe(true);
  });

  it('answers a request that enters through the ingress and crosses two sidecars', async () => {
    const answer = await getJson(`${mesh.ingress.url}/hello`, { host: 'web.shop' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ service: 'web', path: '/hello' });
    const [upstream] = answer.body['upstreams'] as { service: string; status: number; body: { service: string; version: string } }[];
    expect(upstream).toMatchObject({ service: 'api', status: 200, body: { service: 'api' } });
    expect(['v1', 'v2']).toContain(upstream!.body.version);
  });

  it('runs a steady demo load into the entry service', async () => {
    const deadline = Date.now() + 10_000;
    while (mesh.loadStats()!.succeeded < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const stats = mesh.loadStats()!;
    expect(stats.sent).toBeGreaterThanOrEqual(4);
    expect(stats.failed).toBe(0);
  });

  it('leaves no process of any group behind after stop', async () => {
    const groups = [...mesh.instances.flatMap((i) => [i.appPid!, i.sidecarPid!])];
    expect(groups.every(groupAlive)).toBe(true);
    await mesh.stop();
    expect(groups.filter(groupAlive)).toEqual([]);
    await expect(fetch(`${mesh.controlPlane.url}/healthz`)).rejects.toThrow();
  });
});

describe('local runner refusals', () => {
  it('refuses invalid policies with their diagnostics and starts nothing', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'anymesh-up-'));
    try {
      const bad = join(stateDir, 'bad.yaml');
      await (
        await import('node:fs/promises')
      ).writeFile(bad, 'apiVersion: anymesh.io/v1alpha1\nkind: Workload\nmetadata: { name: w }\nspec: { service: nope, command: [] }\n');
      const error = await startLocalMesh({ paths: [bad], stateDir, sidecarCommand: STUB_SIDECAR }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunnerError);
      expect((error as RunnerError).code).toBe('POLICIES_INVALID');
      expect((error as RunnerError).diagnostics.length).toBeGreaterThan(0);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('stops what it started and names the failing app when one never becomes ready', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'anymesh-up-'));
    try {
      const file = join(stateDir, 'crash.yaml');
      await (
        await import('node:fs/promises')
      ).writeFile(
        file,
        'apiVersion: anymesh.io/v1alpha1\nkind: Service\nmetadata: { name: crash }\nspec: { ports: [{ port: 80 }] }\n---\n' +
          'apiVersion: anymesh.io/v1alpha1\nkind: Workload\nmetadata: { name: crash }\nspec: { service: crash, command: [node, -e, "console.error(\'boom at start\'); process.exit(3)"] }\n',
      );
      const error = (await startLocalMesh({
        paths: [file],
        stateDir,
        sidecarCommand: STUB_SIDECAR,
        load: false,
        readyTimeoutMs: 10_000,
      }).catch((e: unknown) => e)) as RunnerError;
      expect(error.code).toBe('NOT_READY');
      expect(error.message).toContain('crash-0 app exited');
      expect(error.message).toContain('boom at start');
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});

describe('local runner when a port it picked is taken before the child binds it', () => {
  it('starts the replica again on fresh ports instead of failing the start', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'anymesh-up-'));
    // Another process (as a second `anymesh up` would) holds a port the picker hands out as free.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    let calls = 0;
    // First call: the app's port is taken; second call: the sidecar's inbound port.
    const pickPorts = async (count: number) => {
      const ports = await freePorts(count);
      calls += 1;
      if (calls === 1) ports[0] = taken;
      if (calls === 2) ports[1] = taken;
      return ports;
    };
    const events: LocalMeshEvent[] = [];
    let mesh: LocalMesh | undefined;
    try {
      mesh = await startLocalMesh({
        paths: [FIXTURE],
        stateDir,
        sidecarCommand: STUB_SIDECAR,
        load: false,
        readyTimeoutMs: 30_000,
        pickPorts,
        onEvent: (event) => events.push(event),
      });
      const retried = events.filter((e) => e.type === 'port-taken');
      // Our two squatted ports, each retried; on a busy machine another process can also take a port
      // between pick and bind (the very race this retry exists for), which adds a retry of its own.
      expect(retried.length).toBeGreaterThanOrEqual(2);
      // One pick per replica (4 and the ingress), and exactly one more per port-taken retry.
      expect(calls).toBe(5 + retried.length);
      const used = [...mesh.instances.map((i) => i.ports), mesh.ingress.ports].flatMap((p) => [p.app, p.inbound, p.outbound, p.admin]);
      expect(used).not.toContain(taken);
      expect(mesh.controlPlane.instances()).toHaveLength(mesh.instances.length + 1);
    } finally {
      await mesh?.stop();
      squatter.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});

describe('local runner aborted while a replica is still picking its ports', () => {
  it('starts nothing after stopping began, so no process outlives the aborted start', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'anymesh-up-'));
    const aborted = new AbortController();
    let calls = 0;
    // The last replica's ports come only after the abort has stopped everything else: the moment
    // at which `anymesh up` interrupted by Ctrl-C used to launch it anyway (a process left alive).
    const pickPorts = async (count: number) => {
      calls += 1;
      if (calls === 5) {
        await new Promise<void>((resolve) => aborted.signal.addEventListener('abort', () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      return freePorts(count);
    };
    const events: LocalMeshEvent[] = [];
    try {
      const start = startLocalMesh({
        paths: [FIXTURE],
        stateDir,
        sidecarCommand: STUB_SIDECAR,
        load: false,
        readyTimeoutMs: 30_000,
        pickPorts,
        signal: aborted.signal,
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'process-started' && !aborted.signal.aborted) aborted.abort();
        },
      });
      const startedPids = () => events.flatMap((e) => (e.type === 'process-started' && e.pid !== undefined ? [e.pid] : []));
      await expect(start).rejects.toMatchObject({ code: 'ABORTED' });
      const atRejection = startedPids();
      expect(atRejection.filter(groupAlive), 'everything started was stopped before the start rejected').toEqual([]);
      // Give a late launch the time it would have had (the picker answers 1 s after the abort).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(calls).toBe(5);
      expect(startedPids(), 'nothing was started after the start rejected').toEqual(atRejection);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
