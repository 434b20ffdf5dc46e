import { expect, it } from 'vitest';
import { translateConsul } from '../src/consul/index.js';
import { evaluateConsulRoute, meshState } from './evaluators/index.js';
import { loadValid } from './consul-support.js';
import { consulValidationErrors } from './support/mesh-validation/consul.js';

const INPUT = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: svc, namespace: demo }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: other, namespace: demo }
spec: { ports: [{ port: 8080, protocol: http }] }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: svc, namespace: demo }
spec:
  service: svc
  rules:
    - destinations: [{ service: other, weight: 1 }, { version: v1, weight: 1 }, { service: other, weight: 2 }]
`;

// Regression (found by the Consul route fidelity property once it validated its output): a rule naming
// one destination twice gave a splitter Consul refuses ("split destination occurs more than once").
it('merges a destination named twice in a rule into one split with the summed weight, which Consul accepts', () => {
  const set = loadValid(INPUT, 'dup.yaml');
  const { manifests } = translateConsul(set);
  expect(manifests.flatMap((m) => consulValidationErrors(m))).toEqual([]);
  expect(manifests.find((m) => m.kind === 'ServiceSplitter')?.spec).toEqual({
    splits: [
      { weight: 75, service: 'other' },
      { weight: 25, service: 'svc', serviceSubset: 'v1' },
    ],
  });
  const decision = evaluateConsulRoute(meshState(set, manifests), {
    namespace: 'demo',
    service: 'svc',
    request: { method: 'GET', path: '/', headers: {}, query: {} },
  });
  expect(decision.kind === 'forward' && decision.targets.map((t) => [t.service, t.version, t.share])).toEqual([
    ['other', undefined, 0.75],
    ['svc', 'v1', 0.25],
  ]);
});
