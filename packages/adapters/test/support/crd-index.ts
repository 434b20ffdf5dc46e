import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** One served version of an upstream CRD, with its OpenAPI v3 schema. */
export interface CrdVersion {
  readonly file: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly served: boolean;
  readonly namespaced: boolean;
  readonly schema: Record<string, unknown>;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Where the upstream CRDs live: `ANYMESH_CRDS_DIR`, else `<repo>/../shared/crds`. Never copied into the repo. */
export const CRDS_DIR = process.env.ANYMESH_CRDS_DIR ?? resolve(REPO_ROOT, '../shared/crds');

export type CrdAvailability = { readonly available: true } | { readonly available: false; readonly reason: string };

export function crdAvailability(dir = CRDS_DIR): CrdAvailability {
  if (!existsSync(dir)) return { available: false, reason: `upstream CRD folder ${dir} not found (set ANYMESH_CRDS_DIR)` };
  return { available: true };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

interface CrdDocument {
  spec: {
    group: string;
    scope: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: Record<string, unknown> } }[];
  };
}

/**
 * Indexes every CRD version by `group/version/kind`. Gateway API ships a standard and an
 * experimental channel with the same kinds: the standard channel wins, because that is what we emit for.
 */
export function loadCrdIndex(dir = CRDS_DIR): Map<string, CrdVersion> {
  const index = new Map<string, CrdVersion>();
  const files = yamlFiles(dir).sort((a, b) => Number(a.includes('/experimental/')) - Number(b.includes('/experimental/')));
  for (const file of files) {
    const doc = parse(readFileSync(file, 'utf8')) as CrdDocument | null;
    if (doc?.spec?.group === undefined) continue;
    for (const v of doc.spec.versions) {
      const key = crdKey(doc.spec.group, v.name, doc.spec.names.kind);
      if (index.has(key)) continue;
      index.set(key, {
        file,
        group: doc.spec.group,
        kind: doc.spec.names.kind,
        version: v.name,
        served: v.served,
        namespaced: doc.spec.scope === 'Namespaced',
        schema: v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      });
    }
  }
  return index;
}

export function crdKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}
