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
 * then the mesh's own validation, against the CRDs vendored in third_party/crds.
 */
export function applyErrors(manifest: ManifestLike): string[] {
  return [...validateManifest(manifest), ...meshValidationErrors(manifest)];
}

/**
 * The check every fidelity property runs on every translated object: `applyErrors`, memoised per
 * distinct object (most objects repeat across cases).
 */
export function fidelityValidator(): (m: ManifestLike) => string[] {
  const verdicts = new Map<string, string[]>();
  return (m) => {
    const key = JSON.stringify(m);
    let errors = verdicts.get(key);
    if (!errors) verdicts.set(key, (errors = applyErrors(m)));
    return errors;
  };
}

/** Fails with the object and the rules it breaks when any translated object would be refused. */
export function expectApplicable<M extends ManifestLike>(manifests: readonly M[], validate: (m: M) => string[], input: unknown): void {
  for (const m of manifests) {
    const errors = validate(m);
    if (errors.length > 0)
      throw new Error(`refused by the mesh:\n${errors.join('\n')}\nobject: ${JSON.stringify(m)}\ninput: ${JSON.stringify(input)}`);
  }
}
