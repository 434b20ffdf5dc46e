import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisPoint, Rollout, RolloutEvent, RolloutState } from '@anymesh/core';
import { RolloutError } from './errors.js';

/** Everything the controller knows about one rollout; one file per rollout in the store directory. */
export interface RolloutRecord {
  /** The Rollout as it was when this run started (a changed spec starts a new run). */
  readonly rollout: Rollout;
  readonly state: RolloutState;
  /** The newest events, oldest first; `seq` increases across runs and restarts. */
  readonly events: readonly RolloutEvent[];
  /** The analysis points of the current attempt, oldest first. */
  readonly analysis: readonly AnalysisPoint[];
  /** The `seq` the next event gets. */
  readonly nextSeq: number;
}

const FORMAT = 1;
/** Bounds a file that would otherwise grow for as long as a rollout is paused or retried. */
export const MAX_EVENTS = 1_000;
export const MAX_POINTS = 1_000;

export function rolloutKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * Rollout records on disk, written atomically (temp file + rename, as the control plane's own
 * state file), one file per rollout so a busy rollout never rewrites the others. All files are read
 * at open: a file that cannot be read or parsed is an error naming it, never a silent reset.
 */
export class RolloutStore {
  readonly #dir: string;
  readonly #records = new Map<string, RolloutRecord>();
  readonly #writes = new Map<string, Promise<void>>();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dir: string): Promise<RolloutStore> {
    const store = new RolloutStore(dir);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return store;
      throw new RolloutError('STORE_INVALID', `cannot read the rollout store ${dir}: ${(error as Error).message}`, dir);
    }
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const record = await readRecord(join(dir, name));
      store.#records.set(keyOf(record.rollout), record);
    }
    return store;
  }

  get(key: string): RolloutRecord | undefined {
    return this.#records.get(key);
  }

  list(): RolloutRecord[] {
    return [...this.#records.values()];
  }

  /** Writes `record` and keeps it once it is on disk; writes of one rollout are applied in order. */
  save(record: RolloutRecord): Promise<void> {
    const key = keyOf(record.rollout);
    const bounded: RolloutRecord = {
      ...record,
      events: record.events.length > MAX_EVENTS ? record.events.slice(-MAX_EVENTS) : record.events,
      analysis: record.analysis.length > MAX_POINTS ? record.analysis.slice(-MAX_POINTS) : record.analysis,
    };
    const previous = this.#writes.get(key) ?? Promise.resolve();
    // Kept (and so listed) once on disk, or when the disk fails: the controller goes on in memory and says so.
    const keep = () => void this.#records.set(key, bounded);
    const written = previous
      .catch(() => undefined)
      .then(() => this.#write(bounded))
      .then(keep, (error: unknown) => {
        keep();
        throw error;
      });
    this.#writes.set(key, written);
    return written;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.#writes.values()].map((w) => w.catch(() => undefined)));
  }

  async #write(record: RolloutRecord): Promise<void> {
    const file = join(this.#dir, fileNameOf(keyOf(record.rollout)));
    const temp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      await writeFile(temp, `${JSON.stringify({ format: FORMAT, ...record })}\n`, { mode: 0o600 });
      await rename(temp, file);
    } catch (error) {
      throw new RolloutError('STORE_UNWRITABLE', `cannot write ${file}: ${(error as Error).message}`, file);
    }
  }
}

function keyOf(rollout: Rollout): string {
  return rolloutKey(rollout.metadata.namespace ?? 'default', rollout.metadata.name);
}

/** Names are DNS labels, so `namespace.name` cannot collide. */
function fileNameOf(key: string): string {
  return `${key.replace('/', '.')}.json`;
}

async function readRecord(file: string): Promise<RolloutRecord> {
  const invalid = (why: string) =>
    new RolloutError('STORE_INVALID', `${file} is not a rollout record (${why}); move it away to forget that rollout`, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new RolloutError('STORE_INVALID', `cannot read ${file}: ${(error as Error).message}`, file);
    throw invalid((error as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('not an object');
  const r = parsed as Record<string, unknown>;
  if (r['format'] !== FORMAT) throw invalid(`format ${String(r['format'])}, expected ${FORMAT}`);
  const rollout = r['rollout'] as Rollout | undefined;
  if (rollout?.kind !== 'Rollout' || typeof rollout.metadata?.name !== 'string') throw invalid('rollout');
  const state = r['state'] as Record<string, unknown> | undefined;
  if (typeof state?.['phase'] !== 'string' || typeof state['step'] !== 'number' || typeof state['attempt'] !== 'number') {
    throw invalid('state');
  }
  if (!Array.isArray(r['events'])) throw invalid('events');
  if (!Array.isArray(r['analysis'])) throw invalid('analysis');
  const nextSeq = r['nextSeq'];
  if (typeof nextSeq !== 'number' || !Number.isSafeInteger(nextSeq) || nextSeq < 1) throw invalid('nextSeq');
  return {
    rollout,
    state: state as unknown as RolloutState,
    events: r['events'] as RolloutEvent[],
    analysis: r['analysis'] as AnalysisPoint[],
    nextSeq,
  };
}
