import {
  buildPolicySet,
  checkPolicySet,
  loadedRouteFor,
  namespaceOf,
  objectRef,
  rolloutStages,
  routeForTraffic,
  sortDiagnostics,
  type Diagnostic,
  type LoadedObject,
  type PolicySet,
  type Rollout,
  type TrafficPlan,
  type TrafficRoute,
} from '@anymesh/core';
import { SOURCE_ANNOTATION, type Adapter, type Manifest } from '@anymesh/adapters';

/** One stage of a rollout as a mesh would have it in force. */
export interface StagePlan {
  readonly label: string;
  readonly traffic: TrafficPlan;
  /** The neutral TrafficRoute of the rollout's service during this stage. */
  readonly route: TrafficRoute;
  /** The mesh's manifests (for native: the route itself); with `all: false` only those made from the route. */
  readonly manifests: readonly Manifest[];
  /** The core's checks of the stage's policies and the mesh's findings; with `all: false` only those about the route. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface PlanOptions {
  /** undefined: the native mesh (no translation; the neutral route is what its sidecars receive). */
  readonly adapter: Adapter | undefined;
  /** Every manifest and finding of the stage's policies, not only those of the rollout's route. */
  readonly all: boolean;
}

/**
 * Every stage of `rollout` over the policies of `set`: the route `routeForTraffic` gives for the stage's traffic,
 * in place of the service's authored route, translated by the adapter. The planned Rollout itself is left out of
 * each stage's policies: the stage is what the controller has put in force, and translating the Rollout object
 * would only repeat that the controller drives it. Pure.
 */
export function planStages(set: PolicySet, rollout: LoadedObject<Rollout>, options: PlanOptions): StagePlan[] {
  const namespace = namespaceOf(rollout.object);
  const authored = loadedRouteFor(set, namespace, rollout.object.spec.service);
  const others = set.objects.filter((o) => o !== authored && o !== rollout);
  return rolloutStages(rollout.object).map(({ label, traffic }) => {
    const route = routeForTraffic(set, rollout.object, traffic);
    // Findings about the stage route point at the route authored (when there is one), else at the Rollout.
    const at = authored ?? rollout;
    const stageSet = buildPolicySet([...others, { object: route, source: at.source, positionOf: () => at.source }]);
    const translation = options.adapter?.translate(stageSet);
    const routeRef = objectRef(route);
    const manifests =
      translation === undefined
        ? [route as unknown as Manifest]
        : translation.manifests.filter((m) => options.all || madeFrom(m, routeRef));
    const findings = sortDiagnostics([...checkPolicySet(stageSet), ...(translation?.diagnostics ?? [])]);
    return {
      label,
      traffic,
      route,
      manifests,
      diagnostics: options.all ? findings : findings.filter((d) => d.object === routeRef),
    };
  });
}

/** Whether the adapter made `manifest` (also) from the neutral object `ref`: its source annotation names it. */
function madeFrom(manifest: Manifest, ref: string): boolean {
  const sources = manifest.metadata.annotations?.[SOURCE_ANNOTATION];
  return typeof sources === 'string' && sources.split(',').includes(ref);
}
