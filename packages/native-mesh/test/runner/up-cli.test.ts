import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendantsOf, getJson, groupAlive } from './support.js';

const CLI = fileURLToPath(new URL('../../../cli/bin/anymesh.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/two-services', import.meta.url));

describe('anymesh up (CLI, real sidecars)', () => {
  let up: ChildProcess;
  let stdout = '';
  let stderr = '';
  let cwd: string;
  let entry: string;

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'anymesh-up-cli-'));
    up = spawn(process.execPath, [CLI, 'up', FIXTURE, '--port', '0', '--no-dashboard', '--rate', '5'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    up.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    up.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const started = Date.now();
    while (!stdout.includes('Press Ctrl-C')) {
      if (up.exitCode !== null || Date.now() - started > 40_000) throw new Error(`anymesh up did not come up:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    entry = /mesh entry \(ingress sidecar\)\s+(\S+)/.exec(stdout)![1]!;
  });

  afterAll(async () => {
    if (up.exitCode === null) up.kill('SIGKILL');
    await rm(cwd, { recursive: true, force: true });
  });

  it('prints the control plane, the mesh entry, every instance and how to call each service', () => {
    expect(stdout).toMatch(/control plane\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/web-0\s+web v1/);
    expect(stdout).toMatch(/api-v2-0\s+api v2/);
    expect(stdout).toContain(`curl -H 'Host: web.shop' ${entry}/`);
  });

  it('routes a real request through the sidecars by the TrafficRoute (x-user-type: internal to v2, others to v1)', async () => {
    const internal = await getJson(`${entry}/shop`, { host: 'web.shop', 'x-user-type': 'internal' });
    const plain = await getJson(`${entry}/shop`, { host: 'web.shop' });
    const apiVersion = (answer: { body: Record<string, unknown> }) =>
      (answer.body['upstreams'] as { body: { version: string } }[])[0]!.body.version;
    expect(internal.status).toBe(200);
    expect(apiVersion(internal)).toBe('v2');
    expect(plain.status).toBe(200);
    expect(apiVersion(plain)).toBe('v1');
  });

  it('stops every process it started on SIGINT, leaving none behind', async () => {
    const tree = descendantsOf(up.pid!);
    // 4 apps + 4 sidecars + the ingress sidecar, each in its own process group.
    expect(tree.length).toBeGreaterThanOrEqual(9);
    const groups = [...new Set(tree.map((p) => p.pgid))];
    const exited = new Promise<number | null>((resolve) => up.once('exit', (code) => resolve(code)));
    up.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(groups.filter(groupAlive)).toEqual([]);
    expect(descendantsOf(up.pid!)).toEqual([]);
    expect(stderr).toMatch(/stopped\. Demo load: \d+ sent, \d+ succeeded, 0 failed/);
  });
});

describe('anymesh up interrupted while starting', () => {
  it('stops the processes it had already started when SIGINT arrives before the mesh is up', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'anymesh-up-abort-'));
    try {
      const up = spawn(process.execPath, [CLI, 'up', FIXTURE, '--port', '0', '--no-dashboard'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      up.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => up.once('exit', (code) => resolve(code)));
      // Wait until children exist, then interrupt before the table is printed.
      const started = Date.now();
      while (descendantsOf(up.pid!).length < 4 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
      const tree = descendantsOf(up.pid!);
      expect(tree.length).toBeGreaterThanOrEqual(4);
      up.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toContain('stopped before the mesh was up');
      expect([...new Set(tree.map((p) => p.pgid))].filter(groupAlive)).toEqual([]);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
