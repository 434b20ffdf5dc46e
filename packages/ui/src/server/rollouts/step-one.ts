import {
  buildPolicySet,
  namespaceOf,
  parseDocuments,
  rolloutStages,
  routeForTraffic,
  validateSchemas,
  type LoadedObject,
  type PolicySet,
  type Rollout,
  type TrafficPlan,
} from '@anymesh/core';
import { stringify } from 'yaml';
import type { MeshStepView, RolloutReview } from '../api-types.js';
import type { MeshCatalog } from '../sources/mesh-catalog.js';

export function stagesOf(rollout: Rollout): { label: string; traffic: TrafficPlan }[] {
  return rolloutStages(rollout);
}

/**
 * What the first stage puts in force: the service's route as `routeForTraffic` rewrites it, and
 * each mesh's translation of it (with the service and its TrafficPolicies, and nothing else, so the
 * manifests and findings shown are the rollout's). A finding such as a cookie cohort on a
 * mesh without cookie matching shows here, before anything starts.
 */
export function firstStageOnEveryMesh(catalog: MeshCatalog, set: PolicySet, rollout: Rollout): RolloutReview['firstStage'] {
  const [first] = rolloutStages(rollout);
  if (!first) return undefined;
  const route = routeForTraffic(set, rollout, first.traffic);
  const file = `dashboard/${rollout.metadata.name}-first-stage.yaml`;
  const routeYaml = stringify(route, { lineWidth: 120, flowCollectionPadding: false });
  const loadedRoute = validateSchemas(parseDocuments({ file, text: routeYaml }).documents).objects;
  const namespace = namespaceOf(rollout);
  const needed = set.objects.filter((o) => ofService(o, namespace, rollout.spec.service));
  const stepSet = buildPolicySet([...needed, ...loadedRoute]);
  const meshes = catalog.meshes.map((m): MeshStepView => {
    try {
      const t = catalog.translate(m.name, stepSet);
      return { mesh: m.name, displayName: m.displayName, yaml: catalog.toYaml(t.manifests), diagnostics: t.diagnostics };
    } catch (error) {
      return {
        mesh: m.name,
        displayName: m.displayName,
        yaml: '',
        diagnostics: [],
        problem: `the ${m.name} translation failed: ${(error as Error).message}`,
      };
    }
  });
  return { label: first.label, file, routeYaml, meshes };
}

/** The service itself and its TrafficPolicies (their subsets are what the route's versions name). */
function ofService(o: LoadedObject, namespace: string, service: string): boolean {
  if (namespaceOf(o.object) !== namespace) return false;
  if (o.object.kind === 'Service') return o.object.metadata.name === service;
  return o.object.kind === 'TrafficPolicy' && o.object.spec.target.service === service;
}
