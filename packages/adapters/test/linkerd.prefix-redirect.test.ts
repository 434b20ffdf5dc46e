import { describe, expect, it } from 'vitest';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { evaluateLinkerdRoute, meshState } from './evaluators/index.js';
import { applyErrors } from './support/mesh-validation/index.js';
import { loadYaml } from './support/policy-cases.js';

const INPUT = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: shop }
spec: { ports: [{ port: 8080, protocol: http }] }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec:
  service: web
  rules:
    - matches: [{ path: { prefix: /old } }, { path: { prefix: /legacy }, method: GET }, { path: { prefix: /old } }]
      redirect: { pathPrefix: /new }
    - matches: [{ path: { prefix: /old }, headers: { x-a: { exact: "1" } } }]
      redirect: { path: /never }
`;

const get = (path: string, headers: Record<string, string> = {}) => ({
  namespace: 'shop',
  service: 'web',
  request: { method: 'GET', path, headers, query: {} },
});

// Regression (found by the Linkerd fidelity property once CRD validation ran on every case): a prefix
// redirect with several matches was one Gateway rule with several matches, which the HTTPRoute CRD
// refuses — ReplacePrefixMatch needs exactly one PathPrefix match in its rule.
describe('Linkerd prefix redirects with several matches', () => {
  it('writes one Gateway rule per match, each accepted by the CRD, redirecting as the neutral rule does', () => {
    const loaded = loadYaml(INPUT, 'redirect.yaml');
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const t = linkerdAdapter.translate(loaded.set);
    expect(t.manifests.flatMap((m) => applyErrors(m))).toEqual([]);
    const rules = t.manifests.flatMap((m) =>
      m.kind === 'HTTPRoute' ? (m.spec as { rules: { matches?: unknown[]; filters?: { type: string }[] }[] }).rules : [],
    );
    const prefixRedirects = rules.filter((r) => JSON.stringify(r.filters ?? []).includes('ReplacePrefixMatch'));
    expect(prefixRedirects.map((r) => r.matches?.length)).toEqual([1, 1, 1]);
    expect(evaluateLinkerdRoute(meshState(loaded.set, t.manifests), get('/old/a'))).toMatchObject({ kind: 'redirect', path: '/new/a' });
    expect(evaluateLinkerdRoute(meshState(loaded.set, t.manifests), get('/legacy/b'))).toMatchObject({ kind: 'redirect', path: '/new/b' });
  });
});
