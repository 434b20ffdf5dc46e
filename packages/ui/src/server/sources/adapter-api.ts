import type { Capability, CapabilityTable, Diagnostic, FeatureName, PolicySet } from '@anymesh/core';

/*
 * The parts of @anymesh/adapters the dashboard reads (packages/adapters/src/types.ts and its
 * index: `ADAPTERS`, `translate`, `capabilityMatrix`, `manifestsToYaml`). The adapters are being
 * built while the dashboard is, so the module is read through these shapes and checked at run
 * time (see read-adapters.ts) rather than trusted to a build of the day.
 */

export const MESH_NAMES = ['istio', 'linkerd', 'consul'] as const;
export type MeshName = (typeof MESH_NAMES)[number];

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

export interface Translation {
  readonly manifests: readonly Manifest[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface Adapter {
  readonly name: MeshName;
  readonly displayName: string;
  readonly capabilities: CapabilityTable;
  translate(set: PolicySet, options?: { readonly strict?: boolean }): Translation;
}

/** A row of the adapters' `capabilityMatrix()`. */
export interface CapabilityMatrixRow {
  readonly feature: FeatureName;
  readonly meshes: Readonly<Partial<Record<MeshName, Capability>>>;
}
