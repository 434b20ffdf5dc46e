import type { MeshName } from '@anymesh/adapters';
import type { LiveObject } from '../cluster/rest.js';

export interface ApplyOptions {
  readonly mesh: MeshName;
  /** Which apply set the objects belong to (label anymesh.io/apply-set); prune stays inside it. Default `default`. */
  readonly applySet?: string;
  /**
   * `client`: nothing is sent but reads; changes are judged from the content hash. `server`: every write is a
   * server dry run (validation, admission, conflicts, defaulting all happen; nothing is stored).
   */
  readonly dryRun?: 'client' | 'server';
  /** Delete objects of this mesh and apply set that the manifests no longer contain. */
  readonly prune?: boolean;
  /** Take over fields another manager owns (server-side apply `force`). */
  readonly forceConflicts?: boolean;
  /** Default `anymesh`. */
  readonly fieldManager?: string;
  /** Requests in flight at once. Default 16. */
  readonly concurrency?: number;
}

export type ChangeAction = 'create' | 'update' | 'unchanged' | 'delete';

export interface ObjectChange {
  readonly action: ChangeAction;
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The neutral object(s) it came from (annotation anymesh.io/source). */
  readonly source?: string;
  /** The object on the server before. */
  readonly before?: LiveObject;
  /** The object as the server stored it (or would, on a dry run); absent for a delete. */
  readonly after?: LiveObject;
}

export interface ApplyReport {
  readonly changes: readonly ObjectChange[];
  readonly dryRun?: 'client' | 'server';
}

/** How many changes of each action. */
export function countChanges(report: ApplyReport): Record<ChangeAction, number> {
  const counts: Record<ChangeAction, number> = { create: 0, update: 0, unchanged: 0, delete: 0 };
  for (const change of report.changes) counts[change.action]++;
  return counts;
}
