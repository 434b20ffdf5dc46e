import { stringify } from 'yaml';
import type { Manifest } from '../types.js';

/**
 * Multi-document YAML, one document per manifest, in the given order. Strings are quoted by YAML 1.1
 * rules because kubectl and Go's YAML readers still resolve `on`, `yes`, `n`… as booleans: a header
 * prefix `on` written bare would reach the API server as `true`.
 */
export function manifestsToYaml(manifests: readonly Manifest[]): string {
  return manifests.map((m) => `---\n${stringify(m, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' })}`).join('');
}
