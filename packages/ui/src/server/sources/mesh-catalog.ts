import type { Capability, CapabilityTable, FeatureName, PolicySet } from '@anymesh/core';
import { MESH_NAMES, type Manifest, type MeshName, type Translation } from './adapter-api.js';
import { readAdapters, type AdaptersModule } from './read-adapters.js';

export interface MeshEntry {
  readonly name: MeshName;
  readonly displayName: string;
  readonly capabilities: CapabilityTable;
}

/** What the dashboard needs from the adapters: who is available, their capability data, translation. */
export interface MeshCatalog {
  readonly meshes: readonly MeshEntry[];
  /** Why some meshes are absent, per mesh. */
  readonly missing: ReadonlyMap<MeshName, string>;
  /** Per feature, each mesh's capability, from the adapters' own `capabilityMatrix()`. */
  capability(feature: FeatureName, mesh: MeshName): Capability | undefined;
  translate(mesh: MeshName, set: PolicySet): Translation;
  toYaml(manifests: readonly Manifest[]): string;
}

/** Builds the catalog over a read adapters module; a mesh without an adapter is reported missing, never invented. */
export function meshCatalog(module: AdaptersModule): MeshCatalog {
  const meshes: MeshEntry[] = [];
  const missing = new Map<MeshName, string>();
  for (const name of MESH_NAMES) {
    const adapter = module.adapters.get(name);
    if (adapter) meshes.push({ name, displayName: adapter.displayName, capabilities: adapter.capabilities });
    else missing.set(name, `the ${name} adapter is not part of this build of @anymesh/adapters yet`);
  }
  const rows = new Map((module.capabilityMatrix?.() ?? []).map((r) => [r.feature, r.meshes]));
  return {
    meshes,
    missing,
    capability: (feature, mesh) => (module.capabilityMatrix ? rows.get(feature)?.[mesh] : module.adapters.get(mesh)?.capabilities[feature]),
    translate(mesh, set) {
      const adapter = module.adapters.get(mesh);
      if (!adapter) throw new Error(missing.get(mesh) ?? `unknown mesh ${mesh}`);
      return module.translate ? module.translate(mesh, set) : adapter.translate(set);
    },
    toYaml(manifests) {
      if (!module.manifestsToYaml) throw new Error('@anymesh/adapters does not export manifestsToYaml in this build');
      return module.manifestsToYaml(manifests);
    },
  };
}

export async function loadMeshCatalog(): Promise<MeshCatalog> {
  const exports: Readonly<Record<string, unknown>> = await import('@anymesh/adapters');
  return meshCatalog(readAdapters(exports));
}
