import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../../src/runner/managed-process.js';
import { descendantsOf, groupAlive, untilGone } from './support.js';

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

  /** Until the child has written `text` (it runs behind a guard process, which takes a moment to start). */
  const untilOutput = async (child: ManagedProcess, text: string) => {
    for (const started = Date.now(); !child.output().includes(text) && Date.now() - started < 10_000;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(child.output()).toContain(text);
  };

  it('stops a child and the grandchildren in its process group', async () => {
    const child = spawnShell('tree', 'sleep 30 & sleep 30 & echo started; wait');
    await untilOutput(child, 'started');
    expect(groupAlive(child.pid!)).toBe(true);
    await child.stop(2_000);
    expect(groupAlive(child.pid!)).toBe(false);
    expect(child.tail()).toContain('started');
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const stubborn = spawnShell('stubborn', 'trap "" TERM; echo ignoring; while true; do sleep 0.1; done');
    await untilOutput(stubborn, 'ignoring');
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

describe('runner child processes when the runner itself dies', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anymesh-guard-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops the child and all it spawned within 5 s when the process that started it is SIGKILLed', async () => {
    // No handler runs on SIGKILL: only the guard's lifeline can notice.
    const runner = spawn(process.execPath, [START_CHILDREN, dir, 'trap "" TERM; sleep 60 & sleep 60 & echo up; wait'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pgid = Number(await firstLine(runner));
    const started = Date.now();
    while (!(await readFile(join(dir, 'child.log'), 'utf8').catch(() => '')).includes('up') && Date.now() - started < 10_000) {
      await pause(20);
    }
    const tree = descendantsOf(runner.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(4); // guard, sh, two sleeps
    expect(tree.every((p) => p.pgid === pgid)).toBe(true);
    runner.kill('SIGKILL');
    expect(
      await untilGone(
        tree.map((p) => p.pid),
        5_000,
      ),
    ).toEqual([]);
  });

  it('reports the exit code and signal of the command, not of its guard', async () => {
    const exits = new ManagedProcess({
      name: 'exits',
      command: 'sh',
      args: ['-c', 'exit 3'],
      cwd: dir,
      env: process.env,
      logFile: join(dir, 'e.log'),
    });
    expect(await exits.exited).toEqual({ code: 3, signal: null });
    const killed = new ManagedProcess({
      name: 'killed',
      command: 'sh',
      args: ['-c', 'kill -USR1 $$'],
      cwd: dir,
      env: process.env,
      logFile: join(dir, 'k.log'),
    });
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGUSR1' });
  });

  it('kills what the command left in its process group when the command exits', async () => {
    const child = new ManagedProcess({
      name: 'leaves',
      command: 'sh',
      args: ['-c', 'sleep 60 & echo $! > leftover.pid; exit 4'],
      cwd: dir,
      env: process.env,
      logFile: join(dir, 'l.log'),
    });
    expect((await child.exited).code).toBe(4);
    const leftover = Number(await readFile(join(dir, 'leftover.pid'), 'utf8'));
    expect(await untilGone([leftover], 2_000)).toEqual([]);
  });
});

const START_CHILDREN = fileURLToPath(new URL('./fixtures/start-children.mjs', import.meta.url));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
    child.once('exit', () => reject(new Error(`exited before printing a line: ${text}`)));
  });
}
