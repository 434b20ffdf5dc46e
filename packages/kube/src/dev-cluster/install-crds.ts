import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { statusOf } from '../cluster/api-errors.js';
import type { KubeRest } from '../cluster/rest.js';
import { DevClusterError } from '../errors.js';
import { repositoryRoot } from './paths.js';

/** The vendored upstream CRDs the adapters' output needs (third_party/crds), by mesh. */
export const MESH_CRD_DIRS = {
  istio: ['istio'],
  linkerd: ['linkerd', 'gateway-api/*/standard'],
  consul: ['consul-k8s'],
} as const;

/** Every CustomResourceDefinition document under third_party/crds/<pattern> (`*` is one path segment). */
export function vendoredCrds(patterns: readonly string[], root = repositoryRoot()): KubernetesObject[] {
  const crds: KubernetesObject[] = [];
  for (const pattern of patterns) {
    for (const dir of expand(join(root, 'third_party/crds'), pattern.split('/'))) {
      // The version folder holds the files (istio/<version>/*.yaml); a pattern naming it already ends there.
      const files = readdirSync(dir, { withFileTypes: true });
      const yamlHere = files.filter((f) => f.isFile() && f.name.endsWith('.yaml'));
      const dirs = yamlHere.length ? [dir] : files.filter((f) => f.isDirectory()).map((f) => join(dir, f.name));
      for (const d of dirs) crds.push(...crdsIn(d));
    }
  }
  return crds;
}

function expand(base: string, segments: readonly string[]): string[] {
  if (segments.length === 0) return [base];
  const [head, ...rest] = segments as [string, ...string[]];
  const names =
    head === '*'
      ? readdirSync(base, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
      : [head];
  return names.flatMap((name) => expand(join(base, name), rest));
}

function crdsIn(dir: string): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const value = doc.toJS() as KubernetesObject | null;
      if (value?.kind === 'CustomResourceDefinition') out.push(value);
    }
  }
  return out;
}

/** Server-side applies the CRDs (field manager `anymesh-dev`) and waits until each is Established. */
export async function installCrds(rest: KubeRest, crds: readonly KubernetesObject[], timeoutMs = 60_000): Promise<void> {
  await Promise.all(
    crds.map(async (crd) => {
      try {
        await rest.request('PATCH', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata!.name!}`, {
          body: stripStatus(crd),
          contentType: 'application/apply-patch+yaml',
          query: { fieldManager: 'anymesh-dev', force: 'true' },
        });
      } catch (error) {
        const status = statusOf(error);
        const causes = (status?.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`).join('; ');
        throw new DevClusterError(
          `installing CRD ${crd.metadata?.name}: ${status?.message ?? String(error)}${causes ? ` (${causes})` : ''}`,
        );
      }
    }),
  );
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (;;) {
      const live = await rest.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata!.name!}`);
      const conditions = (live as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new DevClusterError(`CRD ${crd.metadata!.name} was not Established after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function stripStatus(crd: KubernetesObject): KubernetesObject {
  const { status: _status, ...rest } = crd as KubernetesObject & { status?: unknown };
  return { ...rest, apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };
}
