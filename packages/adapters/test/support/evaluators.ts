import { evaluateConsulRoute } from '../../src/consul/index.js';
import { evaluateLinkerdRoute } from '../../src/linkerd/index.js';
import { evaluateIstioRoute, type MeshName, type RouteEvaluator } from '../../src/index.js';

/**
 * Each adapter's reading of its own output (DESIGN.md "Translation fidelity"). The conformance suite
 * and the fidelity property test need one per registered adapter: add a line with yours.
 */
export const EVALUATORS: Partial<Record<MeshName, RouteEvaluator>> = {
  istio: evaluateIstioRoute,
  consul: evaluateConsulRoute,
  linkerd: evaluateLinkerdRoute,
};
