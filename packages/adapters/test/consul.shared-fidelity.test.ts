import { expect, it } from 'vitest';
import { consulAdapter } from '../src/consul/index.js';
import { evaluateConsulRoute } from './evaluators/index.js';
import { checkRouteFidelity } from './support/fidelity.js';
import { fidelityRuns } from './support/fidelity-budget.js';
import { recordFidelity } from './support/fidelity-report.js';
import { fidelityValidator } from './support/mesh-validation/index.js';

// Property runs are CPU-bound and test files run in parallel: allow for a loaded machine.
it('routes random requests through translated Consul config exactly as the neutral model does (shared harness)', () => {
  const runs = fidelityRuns('consul', 'route');
  const stats = checkRouteFidelity(consulAdapter, evaluateConsulRoute, runs, fidelityValidator());
  recordFidelity('consul', 'route', stats);
  expect(stats.cases).toBe(runs);
  // The property must have compared real decisions, not only skipped invalid or reported routes.
  expect(stats.compared).toBeGreaterThan(runs / 4);
  expect(stats.requests).toBeGreaterThan(runs);
}, 180_000);
