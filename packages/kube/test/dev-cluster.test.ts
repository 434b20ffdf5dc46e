import { VersionApi } from '@kubernetes/client-node';
import { expect, it } from 'vitest';
import { describeWithCluster, testCluster } from './support/cluster.js';

describeWithCluster('the test cluster (test-env/kube, started by the global setup)', () => {
  it('is a real kube-apiserver of the pinned release, reached through the kubeconfig it wrote (CA verified)', async () => {
    const cluster = testCluster();
    const version = await cluster.admin.kubeConfig.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.37\.2/);
  });

  it('serves the vendored mesh CRDs: Istio, Linkerd, Gateway API, Consul', async () => {
    const { rest } = testCluster().admin;
    for (const [apiVersion, kind] of [
      ['networking.istio.io/v1', 'VirtualService'],
      ['policy.linkerd.io/v1beta3', 'HTTPRoute'],
      ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
      ['consul.hashicorp.com/v1alpha1', 'ServiceSplitter'],
    ] as const) {
      expect(await rest.resourceFor(apiVersion, kind), `${kind} ${apiVersion}`).toBeDefined();
    }
  });
});
