import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../run-cli.js';

export const BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'anymesh.js');

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user does, asynchronously (a control plane may run in the same test); killed after `timeoutMs`. */
export function anymesh(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ANYMESH_TOKEN: '', ...options.env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A CLI process left running (`status -w`): its output so far, a wait for a line, and its end. */
export class Running {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  readonly #process: ChildProcess;

  constructor(args: readonly string[], env: Record<string, string> = {}) {
    this.#process = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ANYMESH_TOKEN: '', ...env } });
    this.#process.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.#process.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.#process.on('close', resolve));
  }

  /** Resolves when stdout matches `pattern`; rejects after `timeoutMs` with what was printed. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.stdout)) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.#process.kill(signal);
  }

  /** Stops the process if it still runs (test clean-up). */
  async stop(): Promise<void> {
    if (this.#process.exitCode === null && this.#process.signalCode === null) this.#process.kill('SIGKILL');
    await this.exited;
  }
}

/** A real control plane (`anymesh control-plane`, on `port`, default any) in `stateDir`; resolves once it prints its URL. */
export async function startControlPlane(
  stateDir: string,
  port = 0,
): Promise<{ url: string; process: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'control-plane', '--state-dir', stateDir, '--port', String(port)], { cwd: REPO_ROOT });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = /^(http:\/\/\S+)\n/m.exec(out);
      if (line) resolve(line[1]!);
    });
    child.on('exit', (code) => reject(new Error(`control-plane exited ${code}: ${log}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, process: child, stop };
}

/** A 127.0.0.1 port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
