import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceText } from '@anymesh/core';
import type { InstanceInfo } from '../protocol/types.js';
import { ControlPlaneError } from './errors.js';

/** What survives a restart: the policy texts in force, the config version, and the last known instances. */
export interface PersistedState {
  readonly configVersion: number;
  readonly sources: readonly SourceText[];
  readonly instances: readonly InstanceInfo[];
}

const FILE_NAME = 'control-plane-state.json';
const FORMAT = 1;

export function stateFilePath(stateDir: string): string {
  return join(stateDir, FILE_NAME);
}

/** Reads the state, or undefined on first start. A file that is present but unreadable is an error, never silently reset. */
export async function readState(stateDir: string): Promise<PersistedState | undefined> {
  const file = stateFilePath(stateDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ControlPlaneError('STATE_INVALID', `cannot read ${file}: ${(error as Error).message}`);
  }
  const invalid = (why: string) =>
    new ControlPlaneError('STATE_INVALID', `${file} is not a control-plane state file (${why}); move it away to start empty`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('not an object');
  const state = parsed as Record<string, unknown>;
  if (state['format'] !== FORMAT) throw invalid(`format ${String(state['format'])}, expected ${FORMAT}`);
  const version = state['configVersion'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) throw invalid('configVersion');
  const sources = state['sources'];
  if (!Array.isArray(sources) || !sources.every(isSourceText)) throw invalid('sources');
  const instances = Array.isArray(state['instances']) ? (state['instances'] as InstanceInfo[]) : [];
  return { configVersion: version, sources, instances };
}

function isSourceText(value: unknown): value is SourceText {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && typeof v['file'] === 'string' && typeof v['text'] === 'string';
}

/**
 * Writes the state atomically (temp file + rename in the same directory), so a crash mid-write
 * leaves the previous state intact. Writes are serialised; a burst collapses to the latest state.
 */
export class StateWriter {
  readonly #stateDir: string;
  #pending: PersistedState | undefined;
  #running: Promise<void> | undefined;

  constructor(stateDir: string) {
    this.#stateDir = stateDir;
  }

  /** Resolves once `state` (or a later one) is on disk. */
  write(state: PersistedState): Promise<void> {
    this.#pending = state;
    this.#running ??= this.#drain();
    return this.#running;
  }

  /** Resolves when every requested write has finished. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined);
  }

  async #drain(): Promise<void> {
    try {
      await this.#writeAll();
    } finally {
      // Cleared in the same tick the loop ends, so a write() arriving later starts a new drain.
      this.#running = undefined;
    }
  }

  async #writeAll(): Promise<void> {
    await mkdir(this.#stateDir, { recursive: true, mode: 0o700 });
    while (this.#pending) {
      const state = this.#pending;
      this.#pending = undefined;
      const file = stateFilePath(this.#stateDir);
      const temp = `${file}.${process.pid}.tmp`;
      const body = JSON.stringify({ format: FORMAT, ...state }, null, 1);
      try {
        await writeFile(temp, `${body}\n`, { mode: 0o600 });
        await rename(temp, file);
      } catch (error) {
        throw new ControlPlaneError('STATE_UNWRITABLE', `cannot write ${file}: ${(error as Error).message}`);
      }
    }
  }
}
