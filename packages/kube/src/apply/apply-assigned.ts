import { MESH_NAMES, type AssignedTranslation, type MeshName } from '@anymesh/adapters';
import type { ClusterConnection } from '../cluster/connect.js';
import { applyManifests, deleteInStages } from './apply.js';
import { DEFAULT_APPLY_SET, objectKey, owned } from './ownership.js';
import { planPrune } from './prune.js';
import type { ApplyOptions, ApplyReport, ObjectChange } from './types.js';

export interface AssignedApplyOptions extends Omit<ApplyOptions, 'mesh'> {
  /** The meshes prune looks at. Default: every mesh — a namespace moved off a mesh leaves nothing behind. */
  readonly pruneMeshes?: readonly MeshName[];
}

export interface AssignedChange extends ObjectChange {
  readonly mesh: MeshName;
}

export interface AssignedApplyReport extends ApplyReport {
  readonly changes: readonly AssignedChange[];
}

/**
 * Applies every mesh's part of an assigned translation, then prunes. The order is what makes a mesh switch safe:
 * all new objects are written (and accepted by the API server) before any old one is deleted, so no service is
 * ever without configuration; re-running after an interruption finishes the job (apply is idempotent, prune
 * deletes what is left).
 */
export async function applyAssigned(
  connection: ClusterConnection,
  assigned: AssignedTranslation,
  options: AssignedApplyOptions = {},
): Promise<AssignedApplyReport> {
  const { prune, pruneMeshes, ...rest } = options;
  const applySet = options.applySet ?? DEFAULT_APPLY_SET;
  const changes: AssignedChange[] = [];
  const keep = new Map<MeshName, Set<string>>();
  for (const part of assigned.parts) {
    const report = await applyManifests(connection, part.translation.manifests, { ...rest, mesh: part.mesh, prune: false });
    changes.push(...report.changes.map((c) => ({ ...c, mesh: part.mesh })));
    keep.set(part.mesh, new Set(part.translation.manifests.map((m) => objectKey(owned(m, part.mesh, applySet)))));
  }
  if (prune) {
    for (const mesh of pruneMeshes ?? MESH_NAMES) {
      const deletions = await planPrune(connection, mesh, applySet, keep.get(mesh) ?? new Set());
      if (options.dryRun !== 'client') await deleteInStages(connection, deletions, options.concurrency ?? 16, options.dryRun === 'server');
      changes.push(
        ...deletions.map((d) => ({
          action: 'delete' as const,
          mesh,
          object: `${d.object.kind} ${d.object.metadata.namespace ? `${d.object.metadata.namespace}/` : ''}${d.object.metadata.name}`,
          apiVersion: d.object.apiVersion,
          kind: d.object.kind,
          ...(d.object.metadata.namespace ? { namespace: d.object.metadata.namespace } : {}),
          name: d.object.metadata.name,
          before: d.object,
        })),
      );
    }
  }
  return options.dryRun ? { changes, dryRun: options.dryRun } : { changes };
}
