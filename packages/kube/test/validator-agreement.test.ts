// The project's offline CRD validator (packages/adapters/test/support/crd-validator.ts: the upstream schemas +
// CEL, used by every adapter test) against the real kube-apiserver, on objects made invalid on purpose: each
// translated object with one leaf value replaced by an edge value. Where the validator evaluated every rule of
// the kind, its verdict must be the server's; the rules it could not evaluate are counted, not compared.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { MESH_NAMES, translate, type Manifest } from '@anymesh/adapters';
import { KubeRest } from '../src/cluster/rest.js';
import { httpCodeOf } from '../src/cluster/api-errors.js';
import { CrdValidator } from '../../adapters/test/support/crd-validator.js';
import { loadBookstore } from '../../adapters/test/support/policy-cases.js';
import { describeWithCluster, freshNamespace, testCluster } from './support/cluster.js';

const RUNS = Number(process.env['VALIDATOR_AGREEMENT_RUNS'] ?? 300);
const EDGE_VALUES: readonly unknown[] = [
  '',
  '0s',
  '0.4ms',
  '1ms',
  '-1s',
  -1,
  0,
  101,
  4294967296,
  1.5,
  'x'.repeat(300),
  'A B',
  '/a b',
  true,
  'UPPER',
  '*',
];

type Leaf = { path: (string | number)[] };

function leaves(value: unknown, path: (string | number)[] = [], out: Leaf[] = []): Leaf[] {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  else out.push({ path });
  return out;
}

function replaced(manifest: Manifest, path: (string | number)[], value: unknown): Manifest {
  const copy = structuredClone(manifest) as Record<string, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy as unknown as Manifest;
}

describeWithCluster('the offline CRD validator agrees with the real API server', () => {
  it('on translated objects with one value replaced by an edge value (Istio, Linkerd, Consul kinds)', async () => {
    const cluster = testCluster();
    const ns = await freshNamespace(cluster, 'agree');
    const validator = new CrdValidator();
    const objects = MESH_NAMES.flatMap((mesh) => translate(mesh, loadBookstore().set).manifests)
      // Built-in kinds (Linkerd's per-version core Services): the offline validator checks only their metadata,
      // by design; server-acceptance.test.ts covers them on the real server.
      .filter((m) => m.metadata.namespace === 'bookstore' && m.apiVersion.includes('.'))
      .map((m) => ({ ...m, metadata: { ...m.metadata, namespace: ns } }));
    const cases = fc.sample(fc.tuple(fc.nat(objects.length - 1), fc.nat(10_000), fc.constantFrom(...EDGE_VALUES)), {
      seed: 1206,
      numRuns: RUNS,
    });
    let compared = 0;
    let skipped = 0;
    let accepted = 0;
    const disagreements: string[] = [];
    for (const [i, [objectIndex, leafIndex, value]] of cases.entries()) {
      const original = objects[objectIndex]!;
      const specLeaves = leaves(original.spec, ['spec']);
      if (specLeaves.length === 0) continue;
      const { path } = specLeaves[leafIndex % specLeaves.length]!;
      const mutated = replaced(
        { ...original, metadata: { ...original.metadata, name: `${original.metadata.name.slice(0, 40)}-m${i}` } },
        path,
        value,
      );
      const ours = validator.validate(mutated);
      // Rules the validator could not evaluate only make it more lenient: it may accept what the server rejects,
      // never the reverse. Those kinds are held to that one direction.
      const partial = [...validator.unevaluatedRules].some((r) => r.startsWith(`${mutated.kind}: `));
      if (partial && ours.length === 0) {
        skipped++;
        continue;
      }
      const resource = (await cluster.admin.rest.resourceFor(mutated.apiVersion, mutated.kind))!;
      const server = await cluster.admin.rest
        .request('PATCH', KubeRest.path(resource, ns, mutated.metadata.name), {
          body: mutated,
          contentType: 'application/apply-patch+yaml',
          query: { fieldManager: 'agreement', dryRun: 'All', fieldValidation: 'Strict' },
        })
        .then(
          () => 'accepted',
          (error: unknown) =>
            httpCodeOf(error) === 422 || httpCodeOf(error) === 500 || httpCodeOf(error) === 400
              ? `rejected: ${(error as Error).message}`
              : Promise.reject(error),
        );
      compared++;
      if (server === 'accepted') accepted++;
      const oursAccepts = ours.length === 0;
      if (oursAccepts !== (server === 'accepted'))
        disagreements.push(
          `${mutated.kind} ${path.join('.')} = ${JSON.stringify(value)}: validator ${oursAccepts ? 'accepts' : `rejects (${ours.join('; ')})`}, server ${server}`,
        );
    }
    process.stdout.write(
      `validator agreement: ${compared} compared (${accepted} accepted, ${compared - accepted} rejected by the server), ${skipped} not compared (accepted by a validator that could not evaluate every CEL rule of the kind)\n`,
    );
    expect(disagreements).toEqual([]);
    expect(accepted, 'some mutations are still valid objects').toBeGreaterThan(0);
    expect(compared - accepted, 'some mutations are rejected').toBeGreaterThan(0);
    expect(compared).toBeGreaterThan(RUNS / 2);
    expect(skipped + compared).toBeGreaterThan(0);
  }, 120_000);
});
