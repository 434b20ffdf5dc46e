// Public API of @anymesh/adapters: the adapter contract, the registry, translation and the capability matrix.
import type { PolicySet } from '@anymesh/core';
import { adapterFor, ADAPTERS } from './registry.js';
import type { TranslateOptions, Translation } from './types.js';

export {
  MESH_NAMES,
  type MeshName,
  type Adapter,
  type Manifest,
  type ManifestMetadata,
  type TranslateOptions,
  type Translation,
} from './types.js';
export { ADAPTERS, adapterFor } from './registry.js';
export { capabilityMatrix, type CapabilityRow } from './capability-matrix.js';
export { adapterColumns, capabilityCounts, capabilityDocument, capabilityMarkdown, type CapabilityColumn } from './capability-doc.js';
export { manifestsToYaml } from './shared/yaml.js';
export { sortManifests, orderKeys } from './shared/order.js';
export { GapReporter, type GapKind } from './shared/gaps.js';
export { MANAGED_BY, MANAGED_BY_LABEL, SOURCE_ANNOTATION, managedMetadata } from './shared/metadata.js';
export {
  redirectPort,
  sharesOf,
  type ForwardEffects,
  type HeaderChanges,
  type RedirectPort,
  type RouteDecision,
  type RoutedRequest,
  type WeightedTarget,
} from './shared/route-decision.js';
export { istioAdapter } from './istio/index.js';

/** Translates a policy set for one mesh; throws for a mesh no adapter is registered for (callers check `adapterFor` first). */
export function translate(mesh: string, set: PolicySet, options: TranslateOptions = {}): Translation {
  const adapter = adapterFor(mesh);
  if (!adapter) throw new Error(`no adapter for mesh "${mesh}"; known: ${ADAPTERS.map((a) => a.name).join(', ')}`);
  return adapter.translate(set, options);
}
export {
  translateAssigned,
  NoMeshAssignedError,
  type AssignedTranslation,
  type AssignedOptions,
  type MeshPart,
} from './assignment/translate-assigned.js';
