// The test cluster of test/support/global-setup.ts, and a fresh namespace per test so tests do not see each
// other's objects.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
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

/** True when the run opted out of the Kubernetes tests (ANYMESH_SKIP_KUBE); use with describe.skipIf. */
export function kubeSkipped(): boolean {
  return inject('kube').unavailable === 'ANYMESH_SKIP_KUBE is set';
}

/** Creates a namespace `<prefix>-<random>` and returns its name. */
export async function freshNamespace(cluster: TestCluster, prefix = 't'): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  await cluster.admin.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}
