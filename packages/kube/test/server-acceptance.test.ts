// Issue 10's last gap, closed with issue 12's API server: everything the adapters emit is accepted by a real
// kube-apiserver with the upstream CRDs installed — their OpenAPI schemas and every x-kubernetes-validations
// CEL rule evaluated by the server itself, including the rules the project's own validator
// (packages/adapters/test/support/crd-validator.ts) cannot evaluate. Random policy sets from the fidelity
// generators (routes with every match/action/edge value, and the generated-name traps), the shared conformance
// cases and the bookstore.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { MESH_NAMES, translate, type Manifest, type MeshName } from '@anymesh/adapters';
import { applyManifests } from '../src/apply/apply.js';
import { httpCodeOf } from '../src/cluster/api-errors.js';
import type { ClusterConnection } from '../src/cluster/connect.js';
import { InvalidObjectError } from '../src/errors.js';
import { ruleArb } from '../../adapters/test/support/fidelity.js';
import { edgeSetArb } from '../../adapters/test/support/edge-shapes.js';
import { loadBookstore, loadYaml } from '../../adapters/test/support/policy-cases.js';
import { CASES } from '../../adapters/test/conformance/cases.js';
import { SERVICES as CONFORMANCE_SERVICES } from '../../adapters/test/conformance/case.js';
import { describeWithCluster, testCluster } from './support/cluster.js';

const ROUTE_SETS = Number(process.env['SERVER_ACCEPTANCE_RUNS'] ?? 60);
const EDGE_SETS = Math.ceil(ROUTE_SETS / 2);

const SERVICE = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: fid }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } }, v3: { labels: { version: v3 } } }
`;

/** Valid policy sets (YAML) of the two generators, deterministic per seed. */
function policySets(seed: number): string[] {
  const routes = fc
    .sample(fc.array(ruleArb, { minLength: 1, maxLength: 4 }), { seed, numRuns: ROUTE_SETS * 3 })
    .map(
      (rules) =>
        `${SERVICE}---\n${JSON.stringify({ apiVersion: 'anymesh.io/v1alpha1', kind: 'TrafficRoute', metadata: { name: 'web', namespace: 'fid' }, spec: { service: 'web', rules } })}`,
    )
    .filter((yaml) => loadYaml(yaml).valid)
    .slice(0, ROUTE_SETS);
  const edges = fc
    .sample(edgeSetArb, { seed, numRuns: EDGE_SETS * 4 })
    .filter((yaml) => loadYaml(yaml).valid)
    .slice(0, EDGE_SETS);
  return [...routes, ...edges];
}

async function ensureNamespaces(connection: ClusterConnection, manifests: readonly Manifest[]): Promise<void> {
  for (const ns of new Set(manifests.map((m) => m.metadata.namespace).filter((n): n is string => !!n))) {
    await connection.rest
      .request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } })
      .catch((error: unknown) => {
        if (httpCodeOf(error) !== 409) throw error;
      });
  }
}

describeWithCluster('every translation is accepted by a real kube-apiserver with the upstream CRDs (server dry run)', () => {
  it.each(MESH_NAMES.map((m) => [m] as [MeshName]))(
    '%s: the bookstore, every shared conformance case and random policy sets',
    async (mesh) => {
      const cluster = testCluster();
      const conformance = CASES.map((c) => loadYaml(`${CONFORMANCE_SERVICES}\n---\n${c.policies}`, `${c.shortName}.yaml`));
      expect(conformance.every((c) => c.valid)).toBe(true);
      const sets = [loadBookstore().set, ...conformance.map((c) => c.set), ...policySets(20261206).map((yaml) => loadYaml(yaml).set)];
      let objects = 0;
      for (const [i, set] of sets.entries()) {
        const { manifests } = translate(mesh, set);
        await ensureNamespaces(cluster.admin, manifests);
        try {
          await applyManifests(cluster.admin, manifests, { mesh, applySet: `acceptance-${i}`, dryRun: 'server' });
        } catch (error) {
          if (error instanceof InvalidObjectError)
            expect.fail(`policy set #${i} (${mesh}): ${error.message}\n${JSON.stringify(set.objects.map((o) => o.object))}`);
          throw error;
        }
        objects += manifests.length;
      }
      expect(sets.length).toBeGreaterThan(ROUTE_SETS);
      expect(objects).toBeGreaterThan(sets.length);
    },
    240_000,
  );
});
