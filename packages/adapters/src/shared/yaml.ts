import { stringify } from 'yaml';
import type { Manifest } from '../types.js';
import { plainManifestYaml } from './plain-yaml-writer.js';

/** How every manifest is written; `plainManifestYaml` writes the same bytes for the manifests it can. */
export const MANIFEST_YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' } as const;

/**
 * Multi-document YAML, one document per manifest, in the given order. Strings are quoted by YAML 1.1
 * rules because kubectl and Go's YAML readers still resolve `on`, `yes`, `n`… as booleans: a header
 * prefix `on` written bare would reach the API server as `true`.
 */
export function manifestsToYaml(manifests: readonly Manifest[]): string {
  return manifests.map((m) => `---\n${plainManifestYaml(m) ?? stringify(m, MANIFEST_YAML_OPTIONS)}`).join('');
}
