import { expect, it } from 'vitest';
import { istioAdapter } from '../../src/index.js';
import { evaluateIstioAccess } from '../evaluators/index.js';
import { checkAccessFidelity } from '../support/access-fidelity.js';
import { fidelityRuns } from '../support/fidelity-budget.js';
import { recordFidelity } from '../support/fidelity-report.js';
import { fidelityValidator } from '../support/mesh-validation/index.js';

// Property tests run hundreds of translations: allow for a loaded machine.
it('authorizes random calls through translated Istio policies exactly as the neutral model does, under both default postures', () => {
  const runs = fidelityRuns('istio', 'access');
  const stats = checkAccessFidelity(istioAdapter, evaluateIstioAccess, runs, fidelityValidator());
  recordFidelity('istio', 'access', stats);
  expect(stats.cases).toBe(runs);
  expect(stats.compared).toBeGreaterThan(runs / 4);
  expect(stats.requests).toBeGreaterThan(runs);
}, 180_000);
