import { validateManifest, type ManifestLike } from '../crd-validator.js';
import { consulValidationErrors } from './consul.js';
import { istioValidationErrors } from './istio.js';

/**
 * The mesh's own validation of an object, by API group. Gateway API and Linkerd policy objects are
 * validated by their CRDs' schemas and CEL rules alone (Gateway API moved its webhook rules into
 * CEL in v1.0; Linkerd's policy webhook is not modelled yet, see docs/adapters/linkerd.md).
 */
export function meshValidationErrors(manifest: ManifestLike): string[] {
  const group = typeof manifest.apiVersion === 'string' ? manifest.apiVersion.split('/')[0] : '';
  if (group === 'consul.hashicorp.com') return consulValidationErrors(manifest);
  if (group?.endsWith('.istio.io')) return istioValidationErrors(manifest);
  return [];
}

/**
 * Every reason the object would not apply: the upstream CRD schema, its CEL rules (all evaluated),
 * then the mesh's own validation. Needs the upstream CRD folder (check crdAvailability first).
 */
export function applyErrors(manifest: ManifestLike): string[] {
  return [...validateManifest(manifest), ...meshValidationErrors(manifest)];
}
