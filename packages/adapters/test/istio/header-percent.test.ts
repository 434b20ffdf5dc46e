import { describe, expect, it } from 'vitest';
import { istioAdapter } from '../../src/index.js';
import { applyErrors } from '../support/mesh-validation/index.js';
import { loadYaml } from '../support/policy-cases.js';

const INPUT = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: fid }
spec: { ports: [{ port: 8080, protocol: http }] }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: fid }
spec:
  service: web
  rules:
    - requestHeaders: { set: { x-share: "100%" } }
      responseHeaders: { add: { x-note: "%HOSTNAME%" } }
`;

// Regression (found by the Istio fidelity property with the edge-value generators): "100%" was written
// as is, which istiod refuses (a lone % is not a valid Envoy header format string).
describe('Istio header values containing %', () => {
  it('writes them as literal text (%%), which istiod accepts and Envoy sends unchanged', () => {
    const loaded = loadYaml(INPUT, 'percent.yaml');
    const t = istioAdapter.translate(loaded.set);
    expect(t.manifests.flatMap((m) => applyErrors(m))).toEqual([]);
    const vs = t.manifests.find((m) => m.kind === 'VirtualService')!;
    const http = (vs.spec as { http: { headers: object }[] }).http;
    expect(http[0]!.headers).toEqual({ request: { set: { 'x-share': '100%%' } }, response: { add: { 'x-note': '%%HOSTNAME%%' } } });
  });
});
