// The test cluster of test/support/global-setup.ts, and a fresh namespace per test so tests do not see each
// other's objects.
import { randomBytes } from 'node:crypto';
import { describe, inject } from 'vitest';
import { connect, type ClusterConnection } from '../../src/cluster/connect.js';
import type { ProvidedKube } from './global-setup.js';

export interface TestCluster extends Required<Omit<ProvidedKube, 'unavailable'>> {
  /** An admin connection (context anymesh-dev). */
  readonly admin: ClusterConnection;
}

/** The shared cluster; throws (failing the test, with the reason) when it could not start. */
export function testCluster(): TestCluster {
  const kube = inject('kube');
  if (kube.unavailable !== undefined || kube.kubeconfigPath === undefined)
    throw new Error(`no Kubernetes API server for this test: ${kube.unavailable ?? 'not provided'}`);
  return { ...(kube as Required<Omit<ProvidedKube, 'unavailable'>>), admin: connect({ kubeconfig: kube.kubeconfigPath }) };
}

declare module 'vitest' {
  interface TaskMeta {
    /** Why a test is skipped without running; the summary reporter lists it. */
    skipReason?: string;
  }
}

const OPT_OUT_REASON =
  'ANYMESH_SKIP_KUBE=1 opts out of the tests that need a Kubernetes API server (built by test-env/kube/build.sh with Go)';

/** True when the run opted out of the Kubernetes tests (ANYMESH_SKIP_KUBE=1). */
export function kubeSkipped(): boolean {
  return process.env['ANYMESH_SKIP_KUBE'] === '1';
}

/**
 * `describe` for a suite that needs the API server: with ANYMESH_SKIP_KUBE=1 every test is skipped with that
 * reason (listed by the summary reporter); otherwise it runs, and a missing cluster fails each test with why.
 */
export function describeWithCluster(name: string, body: () => void): void {
  if (kubeSkipped()) describe(name, { skip: true, meta: { skipReason: OPT_OUT_REASON } }, body);
  else describe(name, body);
}

/** Creates a namespace `<prefix>-<random>` and returns its name. */
export async function freshNamespace(cluster: TestCluster, prefix = 't'): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  await cluster.admin.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}
