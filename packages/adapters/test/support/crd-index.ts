import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
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

/** The upstream CRDs vendored into the repository (see third_party/crds/README.md), the only place tests read them from. */
export const CRDS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../third_party/crds');

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

const isExperimental = (file: string): boolean => file.split(sep).includes('experimental');

/**
 * Indexes every CRD version by `group/version/kind`. Gateway API ships a standard and an
 * experimental channel with the same kinds: the standard channel wins, because that is what we emit
 * for. Any other group/version/kind defined twice (two vendored releases of one project) is an
 * error: which schema a test validates against must never depend on file order.
 */
export function loadCrdIndex(dir = CRDS_DIR): Map<string, CrdVersion> {
  const index = new Map<string, CrdVersion>();
  const files = yamlFiles(dir).sort((a, b) => Number(isExperimental(a)) - Number(isExperimental(b)));
  if (files.length === 0) throw new Error(`no CRD files under ${dir}`);
  for (const file of files) {
    const doc = parse(readFileSync(file, 'utf8')) as CrdDocument | null;
    if (doc?.spec?.group === undefined) throw new Error(`${file}: not a CustomResourceDefinition`);
    for (const v of doc.spec.versions) {
      const key = crdKey(doc.spec.group, v.name, doc.spec.names.kind);
      const existing = index.get(key);
      if (existing && isExperimental(file) && !isExperimental(existing.file)) continue;
      if (existing) throw new Error(`${key} is defined by both ${existing.file} and ${file}`);
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
