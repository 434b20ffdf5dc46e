import type { CapabilityTable, Diagnostic, PolicySet } from '@anymesh/core';

/** The meshes anymesh translates to. */
export const MESH_NAMES = ['istio', 'linkerd', 'consul'] as const;
export type MeshName = (typeof MESH_NAMES)[number];

/** A Kubernetes object as generated: keys ordered apiVersion, kind, metadata, spec, then the rest. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ManifestMetadata;
  readonly spec?: unknown;
  readonly [key: string]: unknown;
}

export interface ManifestMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface TranslateOptions {
  /** Turn every "cannot express" or "approximated" finding into an error. */
  readonly strict?: boolean;
}

/** Output of a translation: manifests in a stable order, and every gap found. */
export interface Translation {
  readonly manifests: readonly Manifest[];
  readonly diagnostics: readonly Diagnostic[];
}

/** One mesh's adapter. `translate` is pure and deterministic. */
export interface Adapter {
  readonly name: MeshName;
  readonly displayName: string;
  /** What the mesh can express, per neutral feature, with a one-line note. */
  readonly capabilities: CapabilityTable;
  translate(set: PolicySet, options?: TranslateOptions): Translation;
}
