import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/index.js';
import { FIDELITY_PLAN, FIDELITY_RUNS_PER_MESH, type FidelityProperty } from './support/fidelity-budget.js';

const testDir = import.meta.dirname;
const testSources = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => readFileSync(join(testDir, f), 'utf8'))
  .join('\n');

describe('fidelity budget', () => {
  it.each(ADAPTERS.map((a) => a.name))(`runs at least ${FIDELITY_RUNS_PER_MESH} fidelity cases for %s`, (mesh) => {
    const plan = FIDELITY_PLAN[mesh] as Readonly<Record<string, FidelityProperty>>;
    expect(Object.values(plan).reduce((sum, p) => sum + p.runs, 0)).toBeGreaterThanOrEqual(FIDELITY_RUNS_PER_MESH);
    // Each planned property is run and recorded by a test (which also asserts it ran exactly its planned cases).
    for (const property of Object.keys(plan))
      expect(testSources, `${mesh} ${property}`).toContain(`recordFidelity('${mesh}', '${property}'`);
  });
});
