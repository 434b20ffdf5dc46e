import { ADAPTERS, SOURCE_ANNOTATION, type Manifest, type MeshName } from '@anymesh/adapters';
import { conflictsOf, httpCodeOf, toKubeError } from '../cluster/api-errors.js';
import type { ClusterConnection } from '../cluster/connect.js';
import { KubeRest, type LiveObject, type ResourceInfo } from '../cluster/rest.js';
import { CrdMissingError, FieldConflictError, KubeError, type FieldConflict } from '../errors.js';
import { mapLimit } from '../util/map-limit.js';
import { sameContent } from './live.js';
import { CONTENT_HASH_ANNOTATION, DEFAULT_APPLY_SET, describeObject, FIELD_MANAGER, objectKey, owned } from './ownership.js';
import { planPrune } from './prune.js';
import { stageOf } from './mesh-kinds.js';
import type { ApplyOptions, ApplyReport, ObjectChange } from './types.js';

const DEFAULT_CONCURRENCY = 16;

/** One desired object with where it is served and what is there now. */
interface Planned {
  readonly desired: Manifest;
  readonly resource: ResourceInfo;
  readonly stage: number;
  live?: LiveObject;
  after?: LiveObject;
  action?: 'create' | 'update' | 'unchanged';
}

/**
 * Puts a translation into the cluster with server-side apply, all or nothing as far as the API allows:
 * 1. every kind must be served (else CrdMissingError, nothing written);
 * 2. every object is first applied as a server dry run — validation, admission and field-manager conflicts
 *    surface here, and any conflict stops everything (FieldConflictError) unless `forceConflicts`;
 * 3. only objects whose dry-run result differs from what is stored are applied, stage by stage (mesh-kinds.ts),
 *    so a no-op re-apply writes nothing and every resourceVersion stays;
 * 4. with `prune`, objects of this mesh and apply set that are no longer produced are deleted, last stage first.
 */
export async function applyManifests(
  connection: ClusterConnection,
  manifests: readonly Manifest[],
  options: ApplyOptions,
): Promise<ApplyReport> {
  const applySet = options.applySet ?? DEFAULT_APPLY_SET;
  const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
  const planned = await resolve(
    connection,
    manifests.map((m) => owned(m, options.mesh, applySet)),
    options.mesh,
  );
  await mapLimit(planned, limit, async (p) => (p.live = await readLive(connection, p)));

  if (options.dryRun === 'client') {
    for (const p of planned) {
      p.action = !p.live ? 'create' : p.live.metadata.annotations?.[CONTENT_HASH_ANNOTATION] === hashOf(p.desired) ? 'unchanged' : 'update';
      p.after = p.desired as unknown as LiveObject;
    }
  } else {
    await dryRunAll(connection, planned, options, limit);
    if (options.dryRun !== 'server') await applyChanged(connection, planned, options, limit);
  }
  const changes: ObjectChange[] = planned.map((p) => change(p.action!, p.desired, p.live, p.after));
  if (options.prune) {
    const keep = new Set(planned.map((p) => objectKey(p.desired)));
    const deletions = await planPrune(connection, options.mesh, applySet, keep);
    if (options.dryRun !== 'client') await deleteInStages(connection, deletions, limit, options.dryRun === 'server');
    changes.push(...deletions.map((d) => change('delete', d.object, d.object, undefined)));
  }
  return options.dryRun ? { changes, dryRun: options.dryRun } : { changes };
}

function hashOf(desired: Manifest): string | undefined {
  return desired.metadata.annotations?.[CONTENT_HASH_ANNOTATION];
}

/** Discovery of every kind, in input order; a kind not served is the mesh's CRDs missing. */
async function resolve(connection: ClusterConnection, desired: readonly Manifest[], mesh: MeshName): Promise<Planned[]> {
  const display = ADAPTERS.find((a) => a.name === mesh)?.displayName ?? mesh;
  const resources = new Map<string, ResourceInfo>();
  for (const m of desired) {
    const key = `${m.apiVersion}|${m.kind}`;
    if (resources.has(key)) continue;
    if (stageOf(mesh, m.apiVersion, m.kind) < 0)
      throw new KubeError(`${describeObject(m)}: kind ${m.kind} ${m.apiVersion} is not one the ${display} adapter emits`);
    let resource: ResourceInfo | undefined;
    try {
      resource = await connection.rest.resourceFor(m.apiVersion, m.kind);
    } catch (error) {
      throw toKubeError(error, connection, { verb: 'discover', object: `${m.kind} ${m.apiVersion}`, resource: m.apiVersion });
    }
    if (!resource) throw new CrdMissingError(display, m.apiVersion, m.kind);
    resources.set(key, resource);
  }
  return desired.map((m) => ({
    desired: m,
    resource: resources.get(`${m.apiVersion}|${m.kind}`)!,
    stage: stageOf(mesh, m.apiVersion, m.kind),
  }));
}

async function readLive(connection: ClusterConnection, p: Planned): Promise<LiveObject | undefined> {
  const { name, namespace } = p.desired.metadata;
  try {
    return await connection.rest.request<LiveObject>('GET', KubeRest.path(p.resource, namespace, name));
  } catch (error) {
    if (httpCodeOf(error) === 404) return undefined;
    throw toKubeError(error, connection, requestOf('get', p));
  }
}

function requestOf(verb: string, p: Planned) {
  return {
    verb,
    object: describeObject(p.desired),
    resource: `${p.resource.plural}.${p.resource.apiVersion.split('/')[0]}`,
    namespace: p.desired.metadata.namespace,
    source: p.desired.metadata.annotations?.[SOURCE_ANNOTATION],
  };
}

function serverApply(connection: ClusterConnection, p: Planned, options: ApplyOptions, dryRun: boolean): Promise<LiveObject> {
  const { name, namespace } = p.desired.metadata;
  return connection.rest.request<LiveObject>('PATCH', KubeRest.path(p.resource, namespace, name), {
    body: p.desired,
    contentType: 'application/apply-patch+yaml',
    query: {
      fieldManager: options.fieldManager ?? FIELD_MANAGER,
      force: options.forceConflicts ? 'true' : undefined,
      dryRun: dryRun ? 'All' : undefined,
    },
  });
}

/** Step 2: a server dry run of every object; conflicts are gathered from all of them before failing. */
async function dryRunAll(connection: ClusterConnection, planned: Planned[], options: ApplyOptions, limit: number): Promise<void> {
  const conflicts: FieldConflict[] = [];
  await mapLimit(planned, limit, async (p) => {
    try {
      p.after = await serverApply(connection, p, options, true);
      p.action = !p.live ? 'create' : sameContent(p.live, p.after) ? 'unchanged' : 'update';
    } catch (error) {
      const found = conflictsOf(error, describeObject(p.desired));
      if (found.length) conflicts.push(...found);
      else throw toKubeError(error, connection, requestOf(p.live ? 'patch' : 'create', p));
    }
  });
  if (conflicts.length) throw new FieldConflictError(conflicts.sort((a, b) => a.object.localeCompare(b.object)));
}

/** Step 3: the objects that change, stage by stage. */
async function applyChanged(connection: ClusterConnection, planned: Planned[], options: ApplyOptions, limit: number): Promise<void> {
  const stages = [...new Set(planned.map((p) => p.stage))].sort((a, b) => a - b);
  for (const stage of stages) {
    const due = planned.filter((p) => p.stage === stage && p.action !== 'unchanged');
    await mapLimit(due, limit, async (p) => {
      try {
        p.after = await serverApply(connection, p, options, false);
      } catch (error) {
        const found = conflictsOf(error, describeObject(p.desired));
        // A field taken by another manager between the dry run and now.
        if (found.length) throw new FieldConflictError(found);
        throw toKubeError(error, connection, requestOf(p.live ? 'patch' : 'create', p));
      }
    });
  }
}

export interface OwnedObject {
  readonly object: LiveObject;
  readonly resource: ResourceInfo;
  readonly stage: number;
}

/** Deletes objects, last stage first (routes before the subsets and Services they name). */
export async function deleteInStages(
  connection: ClusterConnection,
  objects: readonly OwnedObject[],
  limit: number,
  dryRun = false,
): Promise<void> {
  const stages = [...new Set(objects.map((o) => o.stage))].sort((a, b) => b - a);
  for (const stage of stages) {
    await mapLimit(
      objects.filter((o) => o.stage === stage),
      limit,
      async (o) => {
        const { name, namespace } = o.object.metadata;
        try {
          await connection.rest.request('DELETE', KubeRest.path(o.resource, namespace, name), {
            query: { dryRun: dryRun ? 'All' : undefined },
          });
        } catch (error) {
          if (httpCodeOf(error) === 404) return;
          throw toKubeError(error, connection, {
            verb: 'delete',
            object: describeObject(o.object),
            resource: `${o.resource.plural}.${o.resource.apiVersion.split('/')[0]}`,
            namespace,
          });
        }
      },
    );
  }
}

function change(
  action: ObjectChange['action'],
  object: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; annotations?: Readonly<Record<string, string>> };
  },
  before: LiveObject | undefined,
  after: LiveObject | undefined,
): ObjectChange {
  return {
    action,
    object: describeObject(object),
    apiVersion: object.apiVersion,
    kind: object.kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    ...(object.metadata.annotations?.[SOURCE_ANNOTATION] ? { source: object.metadata.annotations[SOURCE_ANNOTATION] } : {}),
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
  };
}
