import type { CapabilityTable, Diagnostic, PolicySet } from '@anymesh/core';

/*
 * The documented API of @anymesh/adapters (packages/adapters/src/types.ts and its index:
 * `ADAPTERS`, `translate`, `manifestsToYaml`). Its index does not export these types yet, so the
 * dashboard mirrors the few it reads; `loadMeshCatalog` reads the module defensively against them.
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

export interface AdaptersApi {
  readonly ADAPTERS: Partial<Record<MeshName, Adapter>>;
  readonly translate: (mesh: MeshName, set: PolicySet, options?: { readonly strict?: boolean }) => Translation;
  readonly manifestsToYaml: (manifests: readonly Manifest[]) => string;
}
