import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { groupAlive, signalGroup } from './process-group.js';

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
 */
export class ManagedProcess {
  readonly spec: ProcessSpec;
  readonly #child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Set when the command could not be started at all (not found, not executable). */
  spawnError: Error | undefined;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
    const log = openSync(spec.logFile, 'a');
    try {
      this.#child = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log); // the child holds its own copy of the descriptor
    }
    this.exited = new Promise((resolve) => {
      this.#child.once('error', (error) => {
        this.#exitStatus ??= { code: 127, signal: null };
        this.spawnError = error;
        resolve(this.#exitStatus);
      });
      this.#child.once('exit', (code, signal) => {
        this.#exitStatus = { code, signal };
        resolve(this.#exitStatus);
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#exitStatus === undefined;
  }

  /** The last lines the child wrote, for error reports. */
  tail(lines = 15): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
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

  #signalGroup(signal: NodeJS.Signals): void {
    if (this.#child.pid !== undefined) signalGroup(this.#child.pid, signal);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
