import { FEATURE_NAMES, FEATURES, type Capability } from '@anymesh/core';
import type { CapabilityMatrixView, MeshColumn } from '../api-types.js';
import type { MeshCatalog } from '../sources/mesh-catalog.js';

const NATIVE_MISSING =
  '@anymesh/native-mesh does not publish a capability table in this build; the native mesh runs the neutral semantics of @anymesh/core';

/** The comparison table, straight from the adapters' `capabilityMatrix()`: no second copy. */
export function capabilityMatrix(catalog: MeshCatalog): CapabilityMatrixView {
  const columns: { id: MeshColumn; label: string }[] = catalog.meshes.map((m) => ({ id: m.name, label: m.displayName }));
  const missing: { id: MeshColumn; reason: string }[] = [...catalog.missing].map(([id, reason]) => ({ id, reason }));
  missing.push({ id: 'native', reason: NATIVE_MISSING });
  const rows = FEATURE_NAMES.map((feature) => {
    const support: Partial<Record<MeshColumn, Capability>> = {};
    for (const mesh of catalog.meshes) {
      const capability = catalog.capability(feature, mesh.name);
      if (capability) support[mesh.name] = capability;
    }
    return { feature, description: FEATURES[feature], support };
  });
  return { columns, rows, missing };
}
