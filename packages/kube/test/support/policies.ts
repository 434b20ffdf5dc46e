// Policies for cluster tests: the bookstore example moved into a test's own namespace, translated for a mesh.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTexts, type SourceText } from '@anymesh/core';
import { translate, type Manifest, type MeshName } from '@anymesh/adapters';
import { repositoryRoot } from '../../src/dev-cluster/paths.js';

const BOOKSTORE_FILES = ['services.yaml', 'routes.yaml', 'traffic-policies.yaml', 'access.yaml'];

/** The bookstore's namespaced policies (no Mesh: its objects are mesh-wide) with namespace `bookstore` → `namespace`. */
export function bookstoreSources(namespace: string, edit: (text: string, file: string) => string = (t) => t): SourceText[] {
  return BOOKSTORE_FILES.map((file) => {
    const text = readFileSync(join(repositoryRoot(), 'examples/bookstore', file), 'utf8').replaceAll(
      'namespace: bookstore',
      `namespace: ${namespace}`,
    );
    return { file: `examples/bookstore/${file}`, text: edit(text, file) };
  });
}

/**
 * Translates sources for a mesh; the policies must be valid. With `namespace`, only the objects in that namespace
 * are kept: mesh-wide defaults (Istio's PeerAuthentication in istio-system, Consul's ProxyDefaults) would be
 * shared by every test of the run.
 */
export function translateSources(sources: readonly SourceText[], mesh: MeshName, namespace?: string): readonly Manifest[] {
  const loaded = loadTexts(sources);
  if (!loaded.valid) throw new Error(`test policies invalid: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const { manifests } = translate(mesh, loaded.set);
  return namespace === undefined ? manifests : manifests.filter((m) => m.metadata.namespace === namespace);
}
