import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../../src/runner/managed-process.js';
import { groupAlive } from './support.js';

describe('runner child processes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anymesh-proc-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const spawnShell = (name: string, script: string) =>
    new ManagedProcess({ name, command: 'sh', args: ['-c', script], cwd: dir, env: process.env, logFile: join(dir, `${name}.log`) });

  it('stops a child and the grandchildren in its process group', async () => {
    const child = spawnShell('tree', 'sleep 30 & sleep 30 & echo started; wait');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(groupAlive(child.pid!)).toBe(true);
    await child.stop(2_000);
    expect(groupAlive(child.pid!)).toBe(false);
    expect(child.tail()).toContain('started');
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const stubborn = spawnShell('stubborn', 'trap "" TERM; echo ignoring; while true; do sleep 0.1; done');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await stubborn.stop(300);
    const elapsed = Date.now() - started;
    expect(groupAlive(stubborn.pid!)).toBe(false);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
    expect((await stubborn.exited).signal).toBe('SIGKILL');
  });

  it('reports a command that cannot be started instead of throwing', async () => {
    const missing = new ManagedProcess({
      name: 'missing',
      command: join(dir, 'no-such-program'),
      args: [],
      cwd: dir,
      env: process.env,
      logFile: join(dir, 'missing.log'),
    });
    const status = await missing.exited;
    expect(missing.running).toBe(false);
    expect(status.code).not.toBe(0);
    expect(missing.spawnError?.message).toMatch(/ENOENT/);
  });
});
