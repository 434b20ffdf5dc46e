import { describe, expect, it } from 'vitest';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { evaluateLinkerdRoute, meshState } from './evaluators/index.js';
import { canonicalDecision, neutralDecision } from './support/neutral-decision.js';
import { loadYaml } from './support/policy-cases.js';

const SERVICE = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: catalog, namespace: shop }
spec:
  ports: [{ port: 8080 }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } }, v3: { labels: { version: v3 } } }
`;

/**
 * More than 160 rules, so Linkerd gets more than ten HTTPRoutes: 40 longer exact paths, `docs-exact`
 * (exact /docs), 160 tenants (prefix /items + x-tenant: t<i>, pairwise disjoint), `beta` (prefix
 * /items + x-beta: 1, tied with every tenant but repairable: the tenant's narrowed copy outranks it),
 * `tenant-regex` (x-tenant matching t7 or t8: tied with tenant-7 and tenant-8, not repairable: one
 * header name twice), and `docs-get` (prefix /docs + GET, tied with docs-exact for GET /docs).
 */
function largeRoute(): string {
  const rules: unknown[] = [];
  for (let i = 0; i < 40; i++)
    rules.push({ name: `exact-${i}`, matches: [{ path: { exact: `/exact-filler-${i}` } }], destinations: [{ version: 'v1' }] });
  rules.push({ name: 'docs-exact', matches: [{ path: { exact: '/docs' } }], destinations: [{ version: 'v1' }] });
  for (let i = 0; i < 160; i++) {
    const matches = [{ path: { prefix: '/items' }, headers: { 'x-tenant': { exact: `t${i}` } } }];
    rules.push({ name: `tenant-${i}`, matches, destinations: [{ version: 'v2' }] });
  }
  rules.push({
    name: 'beta',
    matches: [{ path: { prefix: '/items' }, headers: { 'x-beta': { exact: '1' } } }],
    destinations: [{ version: 'v3' }],
  });
  const regex = { path: { prefix: '/items' }, headers: { 'x-tenant': { regex: 't(7|8)' } } };
  rules.push({ name: 'tenant-regex', matches: [regex], destinations: [{ version: 'v3' }] });
  rules.push({ name: 'docs-get', matches: [{ path: { prefix: '/docs' }, method: 'GET' }], destinations: [{ version: 'v3' }] });
  const route = {
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'TrafficRoute',
    metadata: { name: 'catalog', namespace: 'shop' },
    spec: { service: 'catalog', rules },
  };
  return `${SERVICE}---\n${JSON.stringify(route)}`;
}

function translate() {
  const loaded = loadYaml(largeRoute(), 'large.yaml');
  if (!loaded.valid) throw new Error(JSON.stringify(loaded.diagnostics.slice(0, 3), null, 2));
  return { set: loaded.set, ...linkerdAdapter.translate(loaded.set) };
}

const request = (method: string, path: string, headers: Record<string, string> = {}) => ({
  namespace: 'shop',
  service: 'catalog',
  request: { method, path, headers, query: {} },
});

describe('Linkerd routes of more than 16 rules', () => {
  const t = translate();
  const precedence = t.diagnostics.filter((d) => d.feature === 'route.precedence');

  it('routes tied rules as the neutral model does although they are cut into several HTTPRoutes (regression: GET /docs went to catalog-12 before catalog-2)', () => {
    const routes = t.manifests.filter((m) => m.kind === 'HTTPRoute');
    expect(routes.length).toBeGreaterThan(10);
    const cases = [
      request('GET', '/docs'),
      request('POST', '/docs'),
      request('GET', '/docs/x'),
      request('GET', '/items/a', { 'x-tenant': 't7' }),
      request('GET', '/items/a', { 'x-tenant': 't8', 'x-beta': '1' }),
      request('GET', '/items', { 'x-tenant': 't150', 'x-beta': '1' }),
      request('GET', '/items', { 'x-beta': '1' }),
      request('GET', '/exact-filler-39'),
      request('GET', '/items', { 'x-tenant': 't159' }),
    ];
    for (const r of cases) {
      expect(canonicalDecision(evaluateLinkerdRoute(meshState(t.set, t.manifests), r)), JSON.stringify(r)).toEqual(
        canonicalDecision(neutralDecision(t.set, r)),
      );
    }
  });

  it('reports no precedence gap between rules no request can match both of, or whose order Linkerd keeps (regression: hundreds of false AM4002)', () => {
    expect(precedence.map((d) => d.message)).toEqual([]);
  });
});
