// Vitest global setup: one real kube-apiserver + etcd (built by test-env/kube/build.sh) for the whole run, with
// the vendored Istio, Linkerd (+ Gateway API) and Consul CRDs installed. Tests isolate themselves by namespace
// (test/support/cluster.ts). When the binaries are missing the run goes on and every Kubernetes test fails with
// the reason (set ANYMESH_SKIP_KUBE=1 to skip them instead, e.g. on a machine without Go).
import type { TestProject } from 'vitest/node';
import { connect } from '../../src/cluster/connect.js';
import { startDevCluster, type DevCluster } from '../../src/dev-cluster/dev-cluster.js';
import { installCrds, MESH_CRD_DIRS, vendoredCrds } from '../../src/dev-cluster/install-crds.js';

export interface ProvidedKube {
  readonly server?: string;
  readonly kubeconfigPath?: string;
  readonly caPath?: string;
  readonly adminToken?: string;
  readonly limitedToken?: string;
  /** Why there is no cluster (binaries missing, start failed). */
  readonly unavailable?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kube: ProvidedKube;
  }
}

let cluster: DevCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (process.env['ANYMESH_SKIP_KUBE'] === '1') {
    project.provide('kube', { unavailable: 'ANYMESH_SKIP_KUBE is set' });
    return;
  }
  try {
    cluster = await startDevCluster();
    const connection = connect({ kubeconfig: cluster.kubeconfigPath });
    await installCrds(connection.rest, vendoredCrds(Object.values(MESH_CRD_DIRS).flat()));
    const { server, kubeconfigPath, caPath, adminToken, limitedToken } = cluster;
    project.provide('kube', { server, kubeconfigPath, caPath, adminToken, limitedToken });
  } catch (error) {
    project.provide('kube', { unavailable: (error as Error).message });
  }
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
