import { createHash } from 'node:crypto';
import { MANAGED_BY, MANAGED_BY_LABEL, type Manifest, type MeshName } from '@anymesh/adapters';

/** The mesh an object was translated for. */
export const MESH_LABEL = 'anymesh.io/mesh';
/**
 * The apply set an object belongs to: prune deletes only objects of its own set, so two policy repositories (or
 * the controller and a person running `anymesh apply`) do not delete each other's objects.
 */
export const APPLY_SET_LABEL = 'anymesh.io/apply-set';
/** SHA-256 (first 16 hex digits) of the object as translated, before these labels: tells drift from change. */
export const CONTENT_HASH_ANNOTATION = 'anymesh.io/content-hash';
export const DEFAULT_APPLY_SET = 'default';
export const FIELD_MANAGER = 'anymesh';

/** The manifest with the ownership labels and the content hash added (a new object; the input is not changed). */
export function owned(manifest: Manifest, mesh: MeshName, applySet: string): Manifest {
  const hash = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  const labels: Record<string, string> = { ...manifest.metadata.labels };
  labels[MANAGED_BY_LABEL] = MANAGED_BY;
  labels[MESH_LABEL] = mesh;
  labels[APPLY_SET_LABEL] = applySet;
  const annotations: Record<string, string> = { ...manifest.metadata.annotations };
  annotations[CONTENT_HASH_ANNOTATION] = hash;
  return { ...manifest, metadata: { ...manifest.metadata, labels, annotations } };
}

/** The label selector of the objects anymesh applied for `mesh` in `applySet` (all sets when undefined). */
export function ownedSelector(mesh: MeshName, applySet?: string): string {
  const set = applySet === undefined ? '' : `,${APPLY_SET_LABEL}=${applySet}`;
  return `${MANAGED_BY_LABEL}=${MANAGED_BY},${MESH_LABEL}=${mesh}${set}`;
}

/** `Kind namespace/name` (or `Kind name` for a cluster-scoped object): how messages name an object. */
export function describeObject(object: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

/** Identity of an object across desired and live sets. */
export function objectKey(object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${object.apiVersion}|${object.kind}|${object.metadata.namespace ?? ''}|${object.metadata.name}`;
}
