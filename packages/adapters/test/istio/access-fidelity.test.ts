import { expect, it } from 'vitest';
import { evaluateIstioAccess, istioAdapter } from '../../src/index.js';
import { checkAccessFidelity } from '../support/access-fidelity.js';

// Property tests run hundreds of translations: allow for a loaded machine.
it('authorizes random calls through translated Istio policies exactly as the neutral model does, under both default postures', () => {
  const stats = checkAccessFidelity(istioAdapter, evaluateIstioAccess, 400);
  expect(stats.compared).toBeGreaterThan(100);
  expect(stats.requests).toBeGreaterThan(500);
  console.log(`istio access fidelity: ${stats.compared} policy sets compared on ${stats.requests} calls, ${stats.reported} reported`);
}, 180_000);
