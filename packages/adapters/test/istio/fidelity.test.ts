import { expect, it } from 'vitest';
import { evaluateIstioRoute, istioAdapter } from '../../src/index.js';
import { crdAvailability, validateManifest } from '../support/crd-validator.js';
import { checkRouteFidelity } from '../support/fidelity.js';

// Property tests run hundreds of translations: allow for a loaded machine.
it('routes random requests through translated (and CRD-valid) Istio config exactly as the neutral model does', () => {
  const stats = checkRouteFidelity(istioAdapter, evaluateIstioRoute, 400, crdAvailability().available ? validateManifest : undefined);
  // The property must have compared real decisions, not only skipped invalid or reported routes.
  expect(stats.compared).toBeGreaterThan(100);
  expect(stats.requests).toBeGreaterThan(300);
  console.log(
    `istio fidelity: ${stats.compared} routes compared on ${stats.requests} requests, ${stats.reported} reported as approximated`,
  );
}, 180_000);
