import { expect, it } from 'vitest';
import { consulAdapter, evaluateConsulRoute } from '../src/consul/index.js';
import { checkRouteFidelity } from './support/fidelity.js';

it('routes random requests through translated Consul config exactly as the neutral model does (shared harness)', () => {
  const stats = checkRouteFidelity(consulAdapter, evaluateConsulRoute, 400);
  // The property must have compared real decisions, not only skipped invalid or reported routes.
  expect(stats.compared).toBeGreaterThan(100);
  expect(stats.requests).toBeGreaterThan(300);
  // Property runs are CPU-bound; the workspace runs test files in parallel.
}, 120_000);
