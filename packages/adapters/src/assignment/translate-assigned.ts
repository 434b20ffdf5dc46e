import type { Diagnostic, PolicySet } from '@anymesh/core';
import { adapterFor } from '../registry.js';
import type { MeshName, TranslateOptions, Translation } from '../types.js';

/** One mesh's share of an assigned translation. */
export interface MeshPart {
  readonly mesh: MeshName;
  readonly translation: Translation;
}

/** A policy set translated for the mesh(es) its namespaces are assigned to. */
export interface AssignedTranslation {
  /** One part per mesh that enforces some of the set, in MESH_NAMES order. */
  readonly parts: readonly MeshPart[];
  /** Findings about the assignment itself and the calls that cross meshes. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface AssignedOptions extends TranslateOptions {
  /** `--mesh`: the whole set on this one mesh, whatever the assignment says. */
  readonly mesh?: MeshName;
}

/** Thrown when no mesh is named and the policy set assigns none. */
export class NoMeshAssignedError extends Error {
  override readonly name = 'NoMeshAssignedError';
}

/**
 * Translates a policy set for the mesh(es) that enforce it. With `mesh`, the whole set on that mesh (a one-off
 * translation). Without, the set's own assignment decides (issue 18: per-namespace assignment; until it lands
 * there is none, and a mesh must be named).
 */
export function translateAssigned(set: PolicySet, options: AssignedOptions = {}): AssignedTranslation {
  const { mesh, ...translateOptions } = options;
  if (mesh === undefined)
    throw new NoMeshAssignedError('no mesh named (--mesh istio|linkerd|consul) and the policies assign none (Mesh spec)');
  const adapter = adapterFor(mesh)!;
  return { parts: [{ mesh, translation: adapter.translate(set, translateOptions) }], diagnostics: [] };
}
