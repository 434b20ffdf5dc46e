import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { groupAlive, signalGroup } from './process-group.js';

/**
 * The compiled guard (child-guard.ts). From src/runner/ (tests) and dist/runner/ alike the package
 * root is two levels up, so both find the built script.
 */
const CHILD_GUARD = fileURLToPath(new URL('../../dist/runner/child-guard.js', import.meta.url));

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ProcessSpec {
  /** A name for reports, e.g. `reviews-v1-0 app`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here, so a failing child can be diagnosed afterwards. */
  readonly logFile: string;
}

/**
 * A child in its own process group (`detached`), so stopping it also stops whatever it spawned
 * (`npm start` → node, shell wrappers): SIGTERM to the group, SIGKILL to the group after a timeout.
 *
 * The group's leader is a guard (child-guard.ts) that runs the command and holds a lifeline to
 * this process: if this process ends without stopping the child (SIGKILL, a crash), the guard
 * stops the group itself. The exit status is the command's, as the guard reports it.
 */
export class ManagedProcess {
  readonly spec: ProcessSpec;
  readonly #child: ChildProcess;
  /** Where this launch's output starts in the log file (logs are appended across runs). */
  readonly #logStart: number;
  readonly exited: Promise<ExitStatus>;
  #exitStatus: ExitStatus | undefined;
  #reportedStatus: ExitStatus | undefined;
  /** Set when the command could not be started at all (not found, not executable). */
  spawnError: Error | undefined;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
    const log = openSync(spec.logFile, 'a');
    try {
      this.#logStart = fstatSync(log).size;
      const argv = [CHILD_GUARD, spec.command, ...spec.args];
      // fd 3 is the guard's lifeline: a socket pair whose end here closes when this process ends.
      this.#child = spawn(process.execPath, argv, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', log, log, 'pipe'] });
    } finally {
      closeSync(log); // the child holds its own copy of the descriptor
    }
    this.#readGuardReports(this.#child.stdio[3] as Readable | null);
    this.exited = new Promise((resolve) => {
      this.#child.once('error', (error) => {
        this.#exitStatus ??= { code: 127, signal: null };
        this.spawnError ??= error;
        resolve(this.#exitStatus);
      });
      // 'close', not 'exit': the guard's last report has been read by then.
      this.#child.once('close', (code, signal) => {
        this.#exitStatus = this.#reportedStatus ?? { code, signal };
        resolve(this.#exitStatus);
      });
    });
  }

  /** The process group's id (the guard's pid): `kill -- -<pid>` stops the child and all it spawned. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#exitStatus === undefined;
  }

  /** The last lines the child wrote since it was started, for error reports. */
  tail(lines = 15): string {
    return this.output().trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Everything the child wrote since it was started. */
  output(): string {
    try {
      return readFileSync(this.spec.logFile).subarray(this.#logStart).toString('utf8');
    } catch {
      return '';
    }
  }

  /** SIGTERM to the group; SIGKILL to the group if it has not exited after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.#child.pid === undefined) return;
    const deadline = Date.now() + graceMs;
    this.#signalGroup('SIGTERM');
    const timer = setTimeout(() => this.#signalGroup('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    // The leader is gone; what is left of its group (a grandchild still shutting down) gets the
    // rest of the grace period, then SIGKILL.
    const pgid = this.#child.pid;
    while (groupAlive(pgid) && Date.now() < deadline) await pause(50);
    this.#signalGroup('SIGKILL');
    // SIGKILL is delivered asynchronously; return once the group is really gone (bounded).
    for (let i = 0; i < 20 && groupAlive(pgid); i++) await pause(25);
  }

  #readGuardReports(lifeline: Readable | null): void {
    if (!lifeline) return;
    let pending = '';
    lifeline.setEncoding('utf8');
    lifeline.on('error', () => undefined); // the guard is gone; 'close' reports how
    lifeline.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        this.#onGuardReport(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
    });
  }

  #onGuardReport(line: string): void {
    let report: { spawnError?: unknown; exited?: { code?: unknown; signal?: unknown } };
    try {
      report = JSON.parse(line) as typeof report;
    } catch {
      return;
    }
    if (typeof report.spawnError === 'string') this.spawnError = new Error(report.spawnError);
    if (report.exited) {
      const { code, signal } = report.exited;
      this.#reportedStatus = {
        code: typeof code === 'number' ? code : null,
        signal: typeof signal === 'string' ? (signal as NodeJS.Signals) : null,
      };
    }
  }

  #signalGroup(signal: NodeJS.Signals): void {
    if (this.#child.pid !== undefined) signalGroup(this.#child.pid, signal);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
