import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MeshName } from '../../src/index.js';
import { FIDELITY_PLAN, FIDELITY_RUNS_PER_MESH, type FidelityProperty, type FidelityPropertyName } from './fidelity-budget.js';

/**
 * What one fidelity property really ran. A case is one generated policy set (with its requests).
 * A case the adapter reported (AM4001/AM4002 on what it tests) is still evaluated, to show whether
 * the report was needed; a difference without a report fails the property, so `silent` stays 0.
 */
export interface FidelityTally {
  cases: number;
  requests: number;
  /** Nothing reported, and every decision equals the neutral one. */
  equal: number;
  /** A diagnostic reported a gap and some decision does differ (or cannot be evaluated). */
  reportedDiffering: number;
  /** A diagnostic reported a gap, yet every decision of this case is the neutral one. */
  reportedSame: number;
  /** A decision differs with nothing reported: the property fails before this is written. */
  silent: number;
}

export function newTally(): FidelityTally {
  return { cases: 0, requests: 0, equal: 0, reportedDiffering: 0, reportedSame: 0, silent: 0 };
}

/** Counts a case the adapter reported, by whether any of its decisions really differs. */
export function countReported(tally: FidelityTally, differs: () => boolean): void {
  let different: boolean;
  try {
    different = differs();
  } catch {
    // The mesh's reading of its output fails on what it reported: as different as it gets.
    different = true;
  }
  if (different) tally.reportedDiffering++;
  else tally.reportedSame++;
}

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const RESULTS = join(REPO_ROOT, 'test-results');

interface Fragment {
  readonly property: string;
  readonly at: string;
  readonly tally: FidelityTally;
}

/**
 * Records a property's tally and rewrites `test-results/fidelity-<mesh>.md` from every property of
 * that mesh recorded so far. Properties of one mesh run in different workers, so each writes its own
 * fragment and the report is re-rendered under a lock.
 */
export function recordFidelity<M extends MeshName>(mesh: M, property: FidelityPropertyName<M>, tally: FidelityTally): void {
  const dir = join(RESULTS, 'fidelity', mesh);
  mkdirSync(dir, { recursive: true });
  const fragment: Fragment = { property, at: new Date().toISOString(), tally };
  writeFileSync(join(dir, `${property}.json`), `${JSON.stringify(fragment)}\n`);
  withLock(join(RESULTS, 'fidelity', `.${mesh}.lock`), () => {
    const fragments = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fragment);
    const out = join(RESULTS, `fidelity-${mesh}.md`);
    writeFileSync(`${out}.tmp`, renderReport(mesh, fragments));
    renameSync(`${out}.tmp`, out);
  });
}

function renderReport(mesh: MeshName, fragments: readonly Fragment[]): string {
  const plan = FIDELITY_PLAN[mesh] as Readonly<Record<string, FidelityProperty>>;
  const byName = new Map(fragments.map((f) => [f.property, f]));
  const total = newTally();
  const rows = Object.entries(plan).map(([name, p]) => {
    const f = byName.get(name);
    if (!f) return `| ${name} | ${p.description} | ${p.runs} | not run | | | | | | |`;
    for (const k of Object.keys(total) as (keyof FidelityTally)[]) total[k] += f.tally[k];
    const t = f.tally;
    return `| ${name} | ${p.description} | ${p.runs} | ${t.cases} | ${t.requests} | ${t.equal} | ${t.reportedDiffering} | ${t.reportedSame} | ${t.silent} | ${f.at} |`;
  });
  const planned = Object.values(plan).reduce((s, p) => s + p.runs, 0);
  return [
    `# Translation fidelity: ${mesh}`,
    '',
    'Written by the adapters’ fidelity property tests (`npx vitest run packages/adapters`). A case is one',
    'generated policy set with its requests; the neutral decision (core) is compared with the mesh’s',
    'reading of the translated output. A case with an AM4001/AM4002 on what it tests is still evaluated,',
    'to show whether the report was needed. A difference without a report fails the test.',
    '',
    `Cases run: **${total.cases}** (planned ${planned}; required ≥ ${FIDELITY_RUNS_PER_MESH} per mesh). Silent mismatches: **${total.silent}**.`,
    '',
    '| property | what | planned | cases | requests | equal | reported, differs | reported, same | silent mismatches | run at |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|---|',
    ...rows,
    `| **total** | | ${planned} | ${total.cases} | ${total.requests} | ${total.equal} | ${total.reportedDiffering} | ${total.reportedSame} | ${total.silent} | |`,
    '',
  ].join('\n');
}

/** A cross-process lock (mkdir is atomic); a lock older than 30 s is from a crashed run and is taken over. */
function withLock(lock: string, fn: () => void): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; ; tries++) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 3000) throw err;
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 30_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(sleeper, 0, 0, 10);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
