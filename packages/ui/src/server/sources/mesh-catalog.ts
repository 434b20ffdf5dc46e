import type { Capability, CapabilityTable, FeatureName, PolicySet } from '@anymesh/core';
import {
  ADAPTERS,
  capabilityMatrix,
  manifestsToYaml,
  MESH_NAMES,
  translate,
  type Adapter,
  type CapabilityRow,
  type Manifest,
  type MeshName,
  type Translation,
} from '@anymesh/adapters';

/** What the dashboard reads from @anymesh/adapters; tests substitute their own. */
export interface AdapterSource {
  readonly adapters: readonly Adapter[];
  capabilityMatrix(): readonly CapabilityRow[];
  translate(mesh: MeshName, set: PolicySet): Translation;
  manifestsToYaml(manifests: readonly Manifest[]): string;
}

export const ADAPTERS_PACKAGE: AdapterSource = { adapters: ADAPTERS, capabilityMatrix, translate, manifestsToYaml };

export interface MeshEntry {
  readonly name: MeshName;
  readonly displayName: string;
  readonly capabilities: CapabilityTable;
}

/** Who can translate, their capability data, translation itself. */
export interface MeshCatalog {
  readonly meshes: readonly MeshEntry[];
  /** Meshes anymesh names but no adapter is registered for, with why. */
  readonly missing: ReadonlyMap<MeshName, string>;
  /** A mesh's capability for a feature, from the adapters' own `capabilityMatrix()`: no second copy. */
  capability(feature: FeatureName, mesh: MeshName): Capability | undefined;
  translate(mesh: MeshName, set: PolicySet): Translation;
  toYaml(manifests: readonly Manifest[]): string;
}

export function meshCatalog(source: AdapterSource = ADAPTERS_PACKAGE): MeshCatalog {
  const meshes: MeshEntry[] = [];
  const missing = new Map<MeshName, string>();
  for (const name of MESH_NAMES) {
    const adapter = source.adapters.find((a) => a.name === name);
    if (adapter) meshes.push({ name, displayName: adapter.displayName, capabilities: adapter.capabilities });
    else missing.set(name, `no ${name} adapter is registered in @anymesh/adapters`);
  }
  const rows = new Map(source.capabilityMatrix().map((r) => [r.feature, r.meshes]));
  return {
    meshes,
    missing,
    capability: (feature, mesh) => rows.get(feature)?.[mesh],
    translate(mesh, set) {
      if (!meshes.some((m) => m.name === mesh)) throw new Error(missing.get(mesh) ?? `unknown mesh ${mesh}`);
      return source.translate(mesh, set);
    },
    toYaml: (manifests) => source.manifestsToYaml(manifests),
  };
}
