import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found from this file (packages/kube/{src,dist}/dev-cluster/). The dev cluster is a
 * development and test tool of this repository: it reads test-env/kube (the pinned Go modules) and
 * third_party/crds (the vendored mesh CRDs) from the checkout it runs in.
 */
export function repositoryRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
}

const PIN_FILES = ['apiserver/go.mod', 'apiserver/go.sum', 'etcd/go.mod', 'etcd/go.sum', 'build.sh'];

/**
 * Where test-env/kube/build.sh puts kube-apiserver and etcd: `<cache>/kube-<key>`, the key being the first 12
 * hex digits of the SHA-256 of the pin files (the same computation as build.sh). `$ANYMESH_KUBE_BIN_DIR`
 * overrides it (binaries built elsewhere).
 */
export function kubeBinaryDir(root = repositoryRoot()): string {
  const override = process.env['ANYMESH_KUBE_BIN_DIR'];
  if (override) return override;
  const hash = createHash('sha256');
  for (const file of PIN_FILES) hash.update(readFileSync(join(root, 'test-env/kube', file)));
  const cache = process.env['ANYMESH_CACHE'] ?? join(homedir(), '.cache/anymesh');
  return join(cache, `kube-${hash.digest('hex').slice(0, 12)}`);
}

export interface KubeBinaries {
  readonly kubeApiserver: string;
  readonly etcd: string;
}

/** The built binaries, or undefined when test-env/kube/build.sh has not run for the current pins. */
export function findKubeBinaries(root = repositoryRoot()): KubeBinaries | undefined {
  const dir = kubeBinaryDir(root);
  const binaries = { kubeApiserver: join(dir, 'kube-apiserver'), etcd: join(dir, 'etcd') };
  return existsSync(binaries.kubeApiserver) && existsSync(binaries.etcd) ? binaries : undefined;
}
