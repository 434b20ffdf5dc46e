import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { DevClusterError } from '../errors.js';

/** A free 127.0.0.1 port: bound and released (the child binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A child process whose output goes to a log file, with a bounded stop. */
export class ManagedProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    readonly logPath: string,
  ) {
    const log = createWriteStream(logPath);
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
    this.exited = new Promise((resolveExit) => {
      this.child.once('exit', (code) => {
        this.exitCode = code;
        resolveExit(code);
      });
      this.child.once('error', () => {
        this.exitCode = -1;
        resolveExit(-1);
      });
    });
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** For process-exit handlers, which cannot wait. */
  killNow(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

/**
 * Polls `probe` until it returns true, the process exits (an error naming its log), or `timeoutMs` passes.
 */
export async function waitUntil(process: ManagedProcess, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!process.running) throw new DevClusterError(`${process.name} exited before ${what}:\n${logTail(process.logPath)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 100));
  }
  throw new DevClusterError(`${process.name} was not ${what} after ${timeoutMs / 1000} s:\n${logTail(process.logPath)}`);
}

/** The last lines of a log, for an error message (the log's directory may be removed afterwards). */
function logTail(path: string, lines = 5): string {
  try {
    return readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((l) => `  ${l}`)
      .join('\n');
  } catch {
    return `  (no log at ${path})`;
  }
}
