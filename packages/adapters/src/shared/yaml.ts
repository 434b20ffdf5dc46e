import { stringify } from 'yaml';
import type { Manifest } from '../types.js';

/** Multi-document YAML, one document per manifest, in the given order. */
export function manifestsToYaml(manifests: readonly Manifest[]): string {
  return manifests.map((m) => `---\n${stringify(m, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}
