import type { CapabilityTable, PolicySet } from '@anymesh/core';
import { MESH_NAMES, type AdaptersApi, type Manifest, type MeshName, type Translation } from './adapter-api.js';

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
  translate(mesh: MeshName, set: PolicySet): Translation;
  toYaml(manifests: readonly Manifest[]): string;
}

/**
 * Builds the catalog over whatever the adapters package exports today. Adapters land one by one,
 * so a mesh whose adapter is not in this build is reported as missing, never invented.
 */
export async function loadMeshCatalog(): Promise<MeshCatalog> {
  const api: Partial<AdaptersApi> = await import('@anymesh/adapters');
  const registry = api.ADAPTERS ?? {};
  const meshes: MeshEntry[] = [];
  const missing = new Map<MeshName, string>();
  for (const name of MESH_NAMES) {
    const adapter = registry[name];
    if (adapter) meshes.push({ name, displayName: adapter.displayName, capabilities: adapter.capabilities });
    else missing.set(name, `the ${name} adapter is not part of this build of @anymesh/adapters yet`);
  }
  return {
    meshes,
    missing,
    translate(mesh, set) {
      const adapter = registry[mesh];
      if (!adapter) throw new Error(missing.get(mesh) ?? `unknown mesh ${mesh}`);
      return api.translate ? api.translate(mesh, set) : adapter.translate(set);
    },
    toYaml(manifests) {
      if (!api.manifestsToYaml) throw new Error('@anymesh/adapters does not export manifestsToYaml in this build');
      return api.manifestsToYaml(manifests);
    },
  };
}
