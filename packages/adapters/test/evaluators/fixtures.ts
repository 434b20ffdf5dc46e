import type { Manifest } from '../../src/index.js';
import { WORKLOAD_ANNOTATION } from './cluster.js';

/** Hand-written cluster objects for the evaluators' unit tests (no translator, no clusterOf). */
export function pod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  workload: string,
  serviceAccount = 'default',
): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, annotations: { [WORKLOAD_ANNOTATION]: workload } },
    spec: { serviceAccountName: serviceAccount, containers: [{ name: 'app', ports: [{ containerPort: 8080, name: 'http' }] }] },
  };
}

export function k8sService(namespace: string, name: string, selector: Record<string, string>, port = 8080): Manifest {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ port, targetPort: 8080 }] } };
}

/** `web` in `shop` with pods for v1 and v2 (labels app=web, version=…). */
export const WEB_CLUSTER: readonly Manifest[] = [
  k8sService('shop', 'web', { app: 'web' }),
  pod('shop', 'web-v1-0', { app: 'web', version: 'v1' }, 'web/v1', 'web'),
  pod('shop', 'web-v2-0', { app: 'web', version: 'v2' }, 'web/v2', 'web'),
];

export const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => ({
  namespace: 'shop',
  service: 'web',
  request: { method, path, headers, query: {} },
});
