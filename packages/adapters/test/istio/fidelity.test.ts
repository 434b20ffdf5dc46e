import { expect, it } from 'vitest';
import { istioAdapter } from '../../src/index.js';
import { evaluateIstioRoute } from '../evaluators/index.js';
import { fidelityValidator } from '../support/mesh-validation/index.js';
import { checkRouteFidelity } from '../support/fidelity.js';
import { fidelityRuns } from '../support/fidelity-budget.js';
import { recordFidelity } from '../support/fidelity-report.js';

// Property tests run hundreds of translations: allow for a loaded machine.
it('routes random requests through translated Istio config (that Istio accepts: CRD schema, CEL, istiod validation) exactly as the neutral model does', () => {
  const runs = fidelityRuns('istio', 'route');
  const stats = checkRouteFidelity(istioAdapter, evaluateIstioRoute, runs, fidelityValidator());
  recordFidelity('istio', 'route', stats);
  expect(stats.cases).toBe(runs);
  // The property must have compared real decisions, not only skipped invalid or reported routes.
  expect(stats.compared).toBeGreaterThan(runs / 4);
  expect(stats.requests).toBeGreaterThan(runs);
}, 240_000);
