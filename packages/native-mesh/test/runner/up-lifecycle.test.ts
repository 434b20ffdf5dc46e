import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { descendantsOf, untilGone } from './support.js';

// However `anymesh up` ends, no process it started outlives it by more than 5 s (issue 9, part 3).
const CLI = fileURLToPath(new URL('../../../cli/bin/anymesh.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/two-services', import.meta.url));
const THROW_WHEN_UP = fileURLToPath(new URL('./fixtures/throw-when-up.mjs', import.meta.url));
const APPS = 4; // web ×2, api-v1, api-v2
const WITHIN_MS = 5_000;

interface Up {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What a reader saw on up's stdout and stderr. */
  output(): string;
}

let stateDir: string;
const started: ChildProcess[] = [];
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'anymesh-up-life-'));
});
const killStarted = () => {
  for (const p of started.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
};
afterAll(async () => {
  killStarted();
  await rm(stateDir, { recursive: true, force: true });
});

function startUp(args: readonly string[], options: { nodeArgs?: readonly string[]; stdout?: 'pipe' | ChildProcess } = {}): Up {
  const argv = [...(options.nodeArgs ?? []), CLI, 'up', FIXTURE, '--port', '0', '--no-load', '--state-dir', stateDir, ...args];
  const reader = options.stdout instanceof Object ? options.stdout : undefined;
  // With a reader, up's stdout and stderr both go into the reader's stdin (`anymesh up 2>&1 | tee log`).
  const out = reader ? reader.stdin! : 'pipe';
  const child = spawn(process.execPath, argv, { stdio: ['ignore', out, out] });
  started.push(child);
  let text = '';
  const source = reader ? [reader.stdout!] : [child.stdout!, child.stderr!];
  for (const s of source) s.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, exited, output: () => text };
}

/** Up's exit, or a failure naming what still runs: a hang shows as itself, not as a test timeout. */
async function exitOf(up: Up, withinMs = 3 * WITHIN_MS): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const running = descendantsOf(up.process.pid!).map((p) => p.command);
      reject(new Error(`anymesh up still runs ${withinMs} ms later; its processes: ${JSON.stringify(running)}; output:\n${up.output()}`));
    }, withinMs);
  });
  try {
    return await Promise.race([up.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function untilUp(up: Up): Promise<void> {
  const since = Date.now();
  while (!up.output().includes('Press Ctrl-C')) {
    if (up.process.exitCode !== null || Date.now() - since > 60_000) throw new Error(`anymesh up did not come up:\n${up.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every process up started (guards, apps, sidecars), checked to include the apps the issue saw orphaned. */
function childrenOf(up: Up): number[] {
  const tree = descendantsOf(up.process.pid!);
  const guarded = tree.filter((p) => !p.command.includes('child-guard'));
  expect(guarded.filter((p) => p.command.includes('demo-service.mjs')).length).toBe(APPS);
  expect(guarded.filter((p) => p.command.includes(' proxy ')).length).toBe(APPS + 1);
  expect(tree.length - guarded.length).toBe(2 * APPS + 1);
  return tree.map((p) => p.pid);
}

/** A stand-in for `tee`: copies its stdin to its stdout until it is killed. */
function startReader(): ChildProcess {
  const reader = spawn(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], { stdio: ['pipe', 'pipe', 'inherit'] });
  started.push(reader);
  return reader;
}

// Bounded per test: up's start (untilUp allows 60 s on a loaded machine) plus the bounded waits below.
describe('anymesh up leaves no process behind', { timeout: 120_000 }, () => {
  afterEach(killStarted);

  it('when its output pipe closes and then Ctrl-C arrives (anymesh up 2>&1 | tee log, Ctrl-C)', async () => {
    const reader = startReader();
    const up = startUp(['--no-dashboard'], { stdout: reader });
    await untilUp(up);
    const children = childrenOf(up);
    // Ctrl-C reaches tee first: up's next write ("stopping every process") meets a closed pipe.
    reader.kill('SIGKILL');
    await new Promise((resolve) => reader.once('exit', resolve));
    up.process.kill('SIGINT');
    expect(await untilGone(children, WITHIN_MS)).toEqual([]);
    expect(await exitOf(up)).toEqual({ code: 0, signal: null });
  });

  it('when its output pipe closes while it runs and it next writes (anymesh up | head -1)', async () => {
    const reader = startReader();
    const up = startUp(['--no-dashboard'], { stdout: reader });
    await untilUp(up);
    const children = childrenOf(up);
    reader.kill('SIGKILL');
    await new Promise((resolve) => reader.once('exit', resolve));
    // An app dies: up's warning about it meets the closed pipe (EPIPE), and up stops, cleanly.
    const app = descendantsOf(up.process.pid!).find((p) => !p.command.includes('child-guard') && p.command.includes('demo-service.mjs'));
    process.kill(app!.pid, 'SIGKILL');
    expect(await untilGone(children, WITHIN_MS)).toEqual([]);
    expect(await exitOf(up)).toEqual({ code: 0, signal: null });
  });

  it('when it is killed with SIGKILL (no handler of its own runs)', async () => {
    const up = startUp(['--no-dashboard']);
    await untilUp(up);
    const children = childrenOf(up);
    up.process.kill('SIGKILL');
    expect(await untilGone(children, WITHIN_MS)).toEqual([]);
  });

  it('when an error nobody catches ends it', async () => {
    const up = startUp(['--no-dashboard'], { nodeArgs: ['--import', THROW_WHEN_UP] });
    await untilUp(up);
    const children = childrenOf(up);
    up.process.kill('SIGUSR2'); // the preloaded module throws from a timer
    const { code } = await exitOf(up);
    expect(code).not.toBe(0);
    expect(up.output()).toContain('injected by the test');
    expect(await untilGone(children, WITHIN_MS)).toEqual([]);
  });
});

describe('anymesh up with its dashboard port taken, then SIGHUP (the terminal closed)', () => {
  let squatter: Server;
  let up: Up;
  let taken: number;
  beforeAll(async () => {
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    taken = (squatter.address() as { port: number }).port;
    up = startUp(['--dashboard-port', String(taken)]);
    await untilUp(up);
  });
  afterAll(() => {
    squatter.close();
  });

  it('says that the dashboard moved to another port, and where', () => {
    const url = /dashboard\s+(http:\/\/127\.0\.0\.1:\d+\/?)/.exec(up.output())?.[1];
    expect(url).toBeDefined();
    expect(url).not.toContain(`:${taken}`);
    expect(up.output()).toContain(`port ${taken} is taken; the dashboard listens on ${url} instead`);
  });

  it('prints the line a second terminal runs to tap the mesh, with the absolute state dir', () => {
    const control = /control plane\s+(\S+)/.exec(up.output())![1]!;
    expect(up.output()).toContain(`anymesh tap shop/api --state-dir ${stateDir} --control-plane ${control}`);
  });

  it('stops every process it started on SIGHUP and exits 0', async () => {
    const children = childrenOf(up);
    up.process.kill('SIGHUP');
    expect(await untilGone(children, WITHIN_MS)).toEqual([]);
    expect(await exitOf(up)).toEqual({ code: 0, signal: null });
    expect(up.output()).toContain('SIGHUP: stopping every process');
  });
});
