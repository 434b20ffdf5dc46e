import { describe, expect, it } from 'vitest';
import { MESH_NAMES, type Manifest, type MeshName } from '@anymesh/adapters';
import { applyManifests } from '../src/apply/apply.js';
import { KubeRest, type LiveObject } from '../src/cluster/rest.js';
import { countChanges } from '../src/apply/types.js';
import { FieldConflictError, InvalidObjectError } from '../src/errors.js';
import type { ClusterConnection } from '../src/cluster/connect.js';
import { describeWithCluster, freshNamespace, testCluster } from './support/cluster.js';
import { bookstoreSources, translateSources } from './support/policies.js';

async function read(
  connection: ClusterConnection,
  m: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } },
): Promise<LiveObject | undefined> {
  const resource = (await connection.rest.resourceFor(m.apiVersion, m.kind))!;
  return connection.rest.request<LiveObject>('GET', KubeRest.path(resource, m.metadata.namespace, m.metadata.name)).catch(() => undefined);
}

/** Every field of `desired` is in `live` with the same value (the server may add defaults). */
function expectContains(live: unknown, desired: unknown, path = ''): void {
  if (desired && typeof desired === 'object' && !Array.isArray(desired)) {
    for (const [k, v] of Object.entries(desired)) expectContains((live as Record<string, unknown> | undefined)?.[k], v, `${path}.${k}`);
  } else if (Array.isArray(desired)) {
    expect(Array.isArray(live), path).toBe(true);
    expect((live as unknown[]).length, path).toBe(desired.length);
    desired.forEach((d, i) => expectContains((live as unknown[])[i], d, `${path}[${i}]`));
  } else {
    expect(live, path).toEqual(desired);
  }
}

const NS_FIELD = (m: Manifest) => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;

describeWithCluster('server-side apply of a translation (real kube-apiserver)', () => {
  describe.each(MESH_NAMES.map((m) => [m] as [MeshName]))('%s', (mesh) => {
    it('creates every object, which reads back equal; a re-apply changes nothing (same resourceVersions)', async () => {
      const cluster = testCluster();
      const ns = await freshNamespace(cluster, mesh);
      const manifests = translateSources(bookstoreSources(ns), mesh, ns);
      const first = await applyManifests(cluster.admin, manifests, { mesh, applySet: ns });
      expect(countChanges(first)).toEqual({ create: manifests.length, update: 0, unchanged: 0, delete: 0 });
      const versions = new Map<string, string>();
      for (const m of manifests) {
        const live = await read(cluster.admin, m);
        expect(live, NS_FIELD(m)).toBeDefined();
        const { metadata, ...body } = m;
        expectContains(live, body);
        expect(live!.metadata.labels).toMatchObject({
          'app.kubernetes.io/managed-by': 'anymesh',
          'anymesh.io/mesh': mesh,
          'anymesh.io/apply-set': ns,
        });
        expect(live!.metadata.annotations?.['anymesh.io/source']).toBe(metadata.annotations?.['anymesh.io/source']);
        versions.set(NS_FIELD(m), live!.metadata.resourceVersion!);
      }
      const again = await applyManifests(cluster.admin, manifests, { mesh, applySet: ns });
      expect(countChanges(again)).toEqual({ create: 0, update: 0, unchanged: manifests.length, delete: 0 });
      for (const m of manifests)
        expect((await read(cluster.admin, m))!.metadata.resourceVersion, NS_FIELD(m)).toBe(versions.get(NS_FIELD(m)));
    });

    it('a changed policy updates what changed and --prune deletes what is no longer produced, nothing else', async () => {
      const cluster = testCluster();
      const ns = await freshNamespace(cluster, mesh);
      const before = translateSources(bookstoreSources(ns), mesh, ns);
      await applyManifests(cluster.admin, before, { mesh, applySet: ns });
      // The access rules and routes gone (each mesh loses objects to one or the other), a timeout changed.
      const after = translateSources(
        bookstoreSources(ns, (text, file) =>
          file === 'access.yaml' || file === 'routes.yaml' ? '' : text.replaceAll('3s', '4s').replaceAll('2s', '5s'),
        ),
        mesh,
        ns,
      );
      const keys = new Set(after.map(NS_FIELD));
      const gone = before.filter((m) => !keys.has(NS_FIELD(m)));
      expect(gone.length, 'the edit removes objects').toBeGreaterThan(0);
      const report = await applyManifests(cluster.admin, after, { mesh, applySet: ns, prune: true });
      const counts = countChanges(report);
      expect(counts.delete).toBe(gone.length);
      expect(counts.create + counts.update + counts.unchanged).toBe(after.length);
      for (const m of gone) expect(await read(cluster.admin, m), NS_FIELD(m)).toBeUndefined();
      for (const m of after) expectContains(await read(cluster.admin, m), { spec: m.spec });
    });
  });
});

describeWithCluster('conflicts, dry runs and validation (Istio objects, real kube-apiserver)', () => {
  it('a field another manager owns is reported (object, field, manager) and nothing is applied; --force-conflicts takes it', async () => {
    const cluster = testCluster();
    const ns = await freshNamespace(cluster, 'conflict');
    const manifests = translateSources(bookstoreSources(ns), 'istio', ns);
    await applyManifests(cluster.admin, manifests, { mesh: 'istio', applySet: ns });
    const vs = manifests.find((m) => m.kind === 'VirtualService' && m.metadata.name === 'reviews')!;
    // Someone edits the route with their own field manager (as `kubectl apply --server-side` would).
    const resource = (await cluster.admin.rest.resourceFor(vs.apiVersion, vs.kind))!;
    const theirs = {
      apiVersion: vs.apiVersion,
      kind: vs.kind,
      metadata: { name: vs.metadata.name, namespace: ns },
      spec: { http: [{ route: [{ destination: { host: 'elsewhere' } }] }] },
    };
    await cluster.admin.rest.request('PATCH', KubeRest.path(resource, ns, vs.metadata.name), {
      body: theirs,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: 'someone-else', force: 'true' },
    });
    const edited = await read(cluster.admin, vs);
    // Our next apply also changes another object: it must not be written either.
    const changed = translateSources(
      bookstoreSources(ns, (t, f) =>
        f === 'routes.yaml'
          ? t
              .replace('{ version: v1, weight: 90 }', '{ version: v1, weight: 60 }')
              .replace('{ version: v2, weight: 10 }', '{ version: v2, weight: 40 }')
          : t,
      ),
      'istio',
      ns,
    );
    const catalog = changed.find((m) => m.kind === 'VirtualService' && m.metadata.name === 'catalog')!;
    const catalogBefore = await read(cluster.admin, catalog);
    const failure = await applyManifests(cluster.admin, changed, { mesh: 'istio', applySet: ns }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FieldConflictError);
    const conflicts = (failure as FieldConflictError).conflicts;
    expect(conflicts.map((c) => c.object)).toEqual([`VirtualService ${ns}/reviews`]);
    expect(conflicts[0]!.manager).toBe('someone-else');
    expect(conflicts[0]!.field).toMatch(/^\.spec\.http/);
    expect((failure as Error).message).toContain('someone-else');
    expect((await read(cluster.admin, vs))!.metadata.resourceVersion).toBe(edited!.metadata.resourceVersion);
    expect((await read(cluster.admin, catalog))!.metadata.resourceVersion, 'the other object was not applied').toBe(
      catalogBefore!.metadata.resourceVersion,
    );

    const forced = await applyManifests(cluster.admin, changed, { mesh: 'istio', applySet: ns, forceConflicts: true });
    expect(forced.changes.find((c) => c.object === `VirtualService ${ns}/reviews`)!.action).toBe('update');
    expectContains(await read(cluster.admin, vs), { spec: vs.spec });
  });

  it('--dry-run=server writes nothing and still surfaces the server validation error, naming object, field and source policy', async () => {
    const cluster = testCluster();
    const ns = await freshNamespace(cluster, 'dry');
    const manifests = translateSources(bookstoreSources(ns), 'istio', ns);
    const report = await applyManifests(cluster.admin, manifests, { mesh: 'istio', applySet: ns, dryRun: 'server' });
    expect(countChanges(report).create).toBe(manifests.length);
    for (const m of manifests) expect(await read(cluster.admin, m), NS_FIELD(m)).toBeUndefined();

    // A weight out of range: the CRD schema (not the adapter, which never writes one) rejects it.
    const bad = manifests.map((m) =>
      m.kind === 'DestinationRule' && m.metadata.name === 'reviews'
        ? { ...m, spec: { ...(m.spec as object), trafficPolicy: { connectionPool: { tcp: { maxConnections: 'many' } } } } }
        : m,
    );
    const error = await applyManifests(cluster.admin, bad, { mesh: 'istio', applySet: ns, dryRun: 'server' }).catch((e: unknown) => e);
    expect(error, String(error)).toBeInstanceOf(InvalidObjectError);
    expect((error as Error).message).toContain(`DestinationRule ${ns}/reviews`);
    expect((error as Error).message).toContain('spec.trafficPolicy.connectionPool.tcp.maxConnections');
    expect((error as Error).message).toContain(`Service/${ns}/reviews`);
    for (const m of manifests) expect(await read(cluster.admin, m), NS_FIELD(m)).toBeUndefined();

    // A CEL rule of the Istio CRD (durations >= 1ms): a 422 with the field's path.
    const vs = manifests.find((m) => m.kind === 'VirtualService' && m.metadata.name === 'reviews')!;
    const http = (vs.spec as { http: Record<string, unknown>[] }).http;
    const subMs = manifests.map((m) =>
      m === vs ? { ...m, spec: { ...(m.spec as object), http: http.map((h) => ({ ...h, timeout: '0.4ms' })) } } : m,
    );
    const cel = await applyManifests(cluster.admin, subMs, { mesh: 'istio', applySet: ns, dryRun: 'server' }).catch((e: unknown) => e);
    expect(cel, String(cel)).toBeInstanceOf(InvalidObjectError);
    expect((cel as Error).message).toContain(`VirtualService ${ns}/reviews`);
    expect((cel as Error).message).toMatch(/spec\.http\[0\]\.timeout/);
    for (const m of manifests) expect(await read(cluster.admin, m), NS_FIELD(m)).toBeUndefined();
  });
});
