import { FEATURE_NAMES, FEATURES, type Capability, type FeatureName } from '@anymesh/core';
import { ADAPTERS } from './registry.js';
import type { MeshName } from './types.js';

/** One row of the capability matrix: a neutral feature and how each registered mesh expresses it. */
export interface CapabilityRow {
  readonly feature: FeatureName;
  readonly description: string;
  readonly meshes: Readonly<Partial<Record<MeshName, Capability>>>;
}

/** The matrix the CLI's `capabilities` command and the dashboard show, built from the adapters' own data. */
export function capabilityMatrix(meshes: readonly MeshName[] = ADAPTERS.map((a) => a.name)): CapabilityRow[] {
  const adapters = ADAPTERS.filter((a) => meshes.includes(a.name));
  return FEATURE_NAMES.map((feature) => ({
    feature,
    description: FEATURES[feature],
    meshes: Object.fromEntries(adapters.map((a) => [a.name, a.capabilities[feature]])),
  }));
}
