import type { AccessRequest, PolicySet } from '@anymesh/core';
import type { Manifest, MeshName, RouteDecision, RoutedRequest } from '../../src/index.js';
import { applyState, type AppliedState, type Rejects } from './applied-state.js';
import { clusterOf } from './cluster.js';
import { evaluateConsulRoute } from './consul/route.js';
import { evaluateIstioRoute } from './istio/route.js';
import { evaluateLinkerdRoute } from './linkerd/route.js';

export { applyState, groupOf, type AppliedState, type Rejects, type RejectedObject } from './applied-state.js';
export { clusterOf, WORKLOAD_ANNOTATION } from './cluster.js';
export { selects } from './workloads.js';
export { evaluateConsulRoute, matchedConsulRoute } from './consul/route.js';
export { evaluateConsulIntentions, type ConsulCall } from './consul/intentions.js';
export { evaluateIstioAccess, istioAudits } from './istio/access.js';
export { istioObservability, istioUpstream } from './istio/upstream.js';
export { consulObservability, consulUpstream } from './consul/upstream.js';
export { linkerdObservability, linkerdUpstream } from './linkerd/upstream.js';
export type { ObservabilityReading, UpstreamQuery, UpstreamReading } from './upstream.js';
export { evaluateIstioRoute } from './istio/route.js';
export { linkerdAllows, linkerdAudits } from './linkerd/inbound.js';
export { evaluateLinkerdRoute } from './linkerd/route.js';

/**
 * A mesh's reading of what a cluster holds after applying our output, following that mesh's
 * documented behaviour (not the neutral semantics, and no code of the translators or the oracle):
 * the other half of the translation-fidelity property test.
 */
export type RouteEvaluator = (state: AppliedState, routed: RoutedRequest) => RouteDecision;

/** Whether the mesh lets a call through, read from the applied state. */
export type AccessEvaluator = (state: AppliedState, request: AccessRequest) => boolean;

/**
 * The cluster a fidelity case runs against: the workloads the policy set describes (pods and
 * Kubernetes Services, see clusterOf), then our manifests, applied in that order.
 */
export function meshState(set: PolicySet, manifests: readonly Manifest[], rejects?: Rejects): AppliedState {
  return applyState([...clusterOf(set), ...manifests], rejects);
}

/** Each adapter's route evaluator. The conformance suite and the fidelity property need one per registered adapter: add a line with yours. */
export const EVALUATORS: Partial<Record<MeshName, RouteEvaluator>> = {
  istio: evaluateIstioRoute,
  consul: evaluateConsulRoute,
  linkerd: evaluateLinkerdRoute,
};
