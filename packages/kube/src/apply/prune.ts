import type { MeshName } from '@anymesh/adapters';
import { httpCodeOf, toKubeError } from '../cluster/api-errors.js';
import type { ClusterConnection } from '../cluster/connect.js';
import { KubeRest, type LiveObject } from '../cluster/rest.js';
import type { OwnedObject } from './apply.js';
import { meshKinds, stageOf } from './mesh-kinds.js';
import { objectKey, ownedSelector } from './ownership.js';

/**
 * Every object anymesh applied for `mesh` in `applySet` (all sets when undefined), across all namespaces: a
 * label-selected list of each kind the mesh's adapter emits. Kinds the server does not serve hold nothing.
 */
export async function listOwned(connection: ClusterConnection, mesh: MeshName, applySet?: string): Promise<OwnedObject[]> {
  const selector = ownedSelector(mesh, applySet);
  const lists = await Promise.all(
    meshKinds(mesh).map(async ({ apiVersion, kind }) => {
      const resource = await connection.rest.resourceFor(apiVersion, kind).catch((error: unknown) => {
        throw toKubeError(error, connection, { verb: 'discover', object: `${kind} ${apiVersion}`, resource: apiVersion });
      });
      if (!resource) return [];
      try {
        const list = await connection.rest.request<{ items: LiveObject[] }>('GET', KubeRest.path(resource), {
          query: { labelSelector: selector },
        });
        return list.items.map((item) => ({ object: { ...item, apiVersion, kind }, resource, stage: stageOf(mesh, apiVersion, kind) }));
      } catch (error) {
        if (httpCodeOf(error) === 404) return [];
        throw toKubeError(error, connection, {
          verb: 'list',
          object: `${kind} ${apiVersion}`,
          resource: `${resource.plural}.${apiVersion.split('/')[0]}`,
        });
      }
    }),
  );
  return lists.flat();
}

/** The owned objects of the set that are not in `keep` (object keys of what the policies produce now). */
export async function planPrune(
  connection: ClusterConnection,
  mesh: MeshName,
  applySet: string,
  keep: ReadonlySet<string>,
): Promise<OwnedObject[]> {
  return (await listOwned(connection, mesh, applySet)).filter((o) => !keep.has(objectKey(o.object)));
}
