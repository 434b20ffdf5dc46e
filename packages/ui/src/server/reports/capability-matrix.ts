import { FEATURE_NAMES, FEATURES, type Capability, type CapabilityTable } from '@anymesh/core';
import { NATIVE_CAPABILITIES } from '@anymesh/native-mesh';
import type { CapabilityMatrixView, MeshColumn } from '../api-types.js';
import type { MeshCatalog } from '../sources/mesh-catalog.js';

const NATIVE_MISSING = '@anymesh/native-mesh does not publish a capability table in this build';

/**
 * The comparison table, straight from the published data: the adapters' `capabilityMatrix()` and
 * the native mesh's `NATIVE_CAPABILITIES` — no second copy. `native` is a parameter for tests (null: not published).
 */
export function capabilityMatrix(catalog: MeshCatalog, native: CapabilityTable | null = NATIVE_CAPABILITIES): CapabilityMatrixView {
  const columns: { id: MeshColumn; label: string }[] = catalog.meshes.map((m) => ({ id: m.name, label: m.displayName }));
  const missing: { id: MeshColumn; reason: string }[] = [...catalog.missing].map(([id, reason]) => ({ id, reason }));
  if (native) columns.push({ id: 'native', label: 'Native mesh' });
  else missing.push({ id: 'native', reason: NATIVE_MISSING });
  const rows = FEATURE_NAMES.map((feature) => {
    const support: Partial<Record<MeshColumn, Capability>> = {};
    for (const mesh of catalog.meshes) {
      const capability = catalog.capability(feature, mesh.name);
      if (capability) support[mesh.name] = capability;
    }
    if (native) support.native = native[feature];
    return { feature, description: FEATURES[feature], support };
  });
  return { columns, rows, missing };
}
