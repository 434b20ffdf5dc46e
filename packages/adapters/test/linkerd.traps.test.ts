import { describe, expect, it } from 'vitest';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { evaluateLinkerdRoute, meshState } from './evaluators/index.js';
import { gatewayDuration } from '../src/linkerd/gateway-duration.js';
import { loadYaml } from './support/policy-cases.js';

const WEB = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: mesh }
spec: { mtls: { mode: permissive } }
`;

function translateRules(rules: string, extra = '') {
  const loaded = loadYaml(`${WEB}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec:
  service: web
  rules:
${rules}${extra}`);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const t = linkerdAdapter.translate(loaded.set);
  return { ...t, state: meshState(loaded.set, t.manifests) };
}

const get = (path: string, headers: Record<string, string> = {}) => ({
  namespace: 'shop',
  service: 'web',
  request: { method: 'GET', path, headers, query: {} },
});

describe('Linkerd translation traps', () => {
  it('sends requests no rule matches to the service through a catch-all rule instead of GAMMA’s 404', () => {
    const t = translateRules(`    - matches: [{ headers: { x-beta: { exact: '1' } } }]\n      destinations: [{ version: v2 }]`);
    expect(evaluateLinkerdRoute(t.state, get('/any'))).toEqual({
      kind: 'forward',
      targets: [{ service: 'web', version: undefined, share: 1 }],
      path: '/any',
      host: undefined,
      effects: { headers: { request: undefined, response: undefined } },
    });
    expect(evaluateLinkerdRoute(t.state, get('/any', { 'x-beta': '1' }))).toMatchObject({ targets: [{ version: 'v2', share: 1 }] });
  });

  it('writes the scheme default port on a scheme-only redirect, since the proxy would keep the request port 8080', () => {
    const t = translateRules(`    - matches: [{ path: { exact: /x } }]\n      redirect: { scheme: https }`);
    const route = t.manifests.find((m) => m.kind === 'HTTPRoute')!;
    const filters = (route.spec as { rules: { filters?: { requestRedirect?: unknown }[] }[] }).rules[0]?.filters;
    expect(filters?.[0]?.requestRedirect).toEqual({ scheme: 'https', port: 443, statusCode: 302 });
    expect(evaluateLinkerdRoute(t.state, get('/x'))).toMatchObject({ kind: 'redirect', scheme: 'https', port: 'scheme-default' });
    expect(t.diagnostics.filter((d) => d.feature === 'redirect')).toEqual([]);
  });

  it('reports that a full-path redirect drops the query string on Linkerd', () => {
    const t = translateRules(`    - matches: [{ path: { exact: /x } }]\n      redirect: { path: /y }`);
    expect(evaluateLinkerdRoute(t.state, get('/x'))).toMatchObject({ kind: 'redirect', path: '/y', query: 'dropped' });
    expect(t.diagnostics.map((d) => [d.code, d.feature, d.path])).toContainEqual(['AM4002', 'redirect', 'spec.rules[0].redirect.path']);
  });

  it('redirects /old/a to /x/a for a prefix replacement /x/ (not /x//a), and reports a replacement / (//a)', () => {
    const slash = translateRules(`    - matches: [{ path: { prefix: /old } }]\n      redirect: { pathPrefix: /x/ }`);
    expect(evaluateLinkerdRoute(slash.state, get('/old/a'))).toMatchObject({ kind: 'redirect', path: '/x/a', query: 'kept' });
    expect(evaluateLinkerdRoute(slash.state, get('/old'))).toMatchObject({ kind: 'redirect', path: '/x' });
    expect(slash.diagnostics.filter((d) => d.feature === 'redirect')).toEqual([]);

    const root = translateRules(`    - matches: [{ path: { prefix: /old } }]\n      redirect: { pathPrefix: / }`);
    expect(evaluateLinkerdRoute(root.state, get('/old/a'))).toMatchObject({ kind: 'redirect', path: '//a' });
    expect(root.diagnostics.map((d) => [d.code, d.feature, d.path])).toContainEqual([
      'AM4002',
      'redirect',
      'spec.rules[0].redirect.pathPrefix',
    ]);
  });

  it('reports that a header regex never matches a value that is not visible ASCII, and reads it so', () => {
    const t = translateRules(`    - matches: [{ headers: { x-user: { regex: '.+' } } }]\n      destinations: [{ version: v2 }]`);
    expect(t.diagnostics.map((d) => [d.code, d.feature, d.path])).toContainEqual([
      'AM4002',
      'route.headerRegex',
      'spec.rules[0].matches[0].headers.x-user',
    ]);
    expect(evaluateLinkerdRoute(t.state, get('/', { 'x-user': 'ana' }))).toMatchObject({ targets: [{ version: 'v2' }] });
    expect(evaluateLinkerdRoute(t.state, get('/', { 'x-user': 'zoë' }))).toMatchObject({ targets: [{ version: undefined }] });
  });

  it('states that Linkerd matches access paths as sent, while the neutral model decides on the normalized path', () => {
    const t = translateRules(
      `    - destinations: [{ version: v1 }]`,
      `
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: web, namespace: shop }
spec:
  rules: [{ action: deny, to: { service: web, paths: ['/admin/*'] } }, { action: deny, to: { service: web, paths: ['*'], methods: [PUT] } }]`,
    );
    const found = t.diagnostics.filter((d) => d.feature === 'access.methodPath').map((d) => [d.code, d.path]);
    expect(found).toEqual([['AM4003', 'spec.rules[0].to.paths']]);
  });

  it('keeps an exact path ahead of the same prefix with a method by adding the narrower match exact + method to the exact rule', () => {
    const t = translateRules(
      [
        `    - matches: [{ path: { exact: /docs } }]\n      destinations: [{ version: v1 }]`,
        `    - matches: [{ path: { prefix: /docs }, method: GET }]\n      destinations: [{ version: v2 }]`,
      ].join('\n'),
    );
    expect(t.diagnostics.filter((d) => d.feature === 'route.precedence')).toEqual([]);
    const route = t.manifests.find((m) => m.kind === 'HTTPRoute')!;
    const rules = (route.spec as { rules: { matches?: unknown[] }[] }).rules;
    expect(rules[0]!.matches).toEqual([
      { path: { type: 'Exact', value: '/docs' } },
      { method: 'GET', path: { type: 'Exact', value: '/docs' } },
    ]);
    // Linkerd ranks GET /docs equal on both rules now, and the earlier (neutral) one wins.
    expect(evaluateLinkerdRoute(t.state, get('/docs'))).toMatchObject({ targets: [{ version: 'v1' }] });
    expect(evaluateLinkerdRoute(t.state, get('/docs/x'))).toMatchObject({ targets: [{ version: 'v2' }] });
  });

  it('reports a tie it cannot repair because both rules test the same header differently', () => {
    const t = translateRules(
      [
        `    - matches: [{ path: { exact: /docs }, headers: { x-a: { exact: '1' } } }]\n      destinations: [{ version: v1 }]`,
        `    - matches: [{ path: { prefix: /docs }, headers: { x-a: { regex: '[0-9]' }, x-b: { exact: '1' } } }]\n      destinations: [{ version: v2 }]`,
      ].join('\n'),
    );
    const precedence = t.diagnostics.filter((d) => d.feature === 'route.precedence');
    expect(precedence).toHaveLength(1);
    expect(precedence[0]!.message).toMatch(/spec\.rules\[0\]\.matches\[0\] and spec\.rules\[1\]\.matches\[0\]/);
    // The divergence is real: Linkerd prefers the rule with more headers for /docs.
    expect(evaluateLinkerdRoute(t.state, get('/docs', { 'x-a': '1', 'x-b': '1' }))).toMatchObject({ targets: [{ version: 'v2' }] });
  });

  it('does not report a prefix against a longer prefix, which Linkerd ranks the neutral way', () => {
    const t = translateRules(
      [
        `    - matches: [{ path: { prefix: /a/b }, method: GET }]\n      destinations: [{ version: v1 }]`,
        `    - matches: [{ path: { prefix: /a }, method: GET, headers: { x-a: { exact: '1' } } }]\n      destinations: [{ version: v2 }]`,
      ].join('\n'),
    );
    expect(t.diagnostics.filter((d) => d.feature === 'route.precedence')).toEqual([]);
  });

  it('splits rules with different retry settings into separate HTTPRoutes, since retry annotations are per route', () => {
    const t = translateRules(
      [
        `    - matches: [{ path: { prefix: /read } }]\n      retries: { attempts: 3, on: [5xx] }`,
        `    - matches: [{ path: { prefix: /write } }]\n      retries: { attempts: 0 }`,
      ].join('\n'),
    );
    const routes = t.manifests.filter((m) => m.kind === 'HTTPRoute');
    // /write outranks /read (longer prefix), and the catch-all to the service has no retries of its own.
    expect(routes.map((r) => [r.metadata.name, r.metadata.annotations?.['retry.linkerd.io/limit']])).toEqual([
      ['web', '0'],
      ['web-1', '3'],
      ['web-2', undefined],
    ]);
  });

  it('refuses mTLS disabled with an error even without strict mode', () => {
    const loaded = loadYaml(`${WEB.replace('permissive', 'disabled')}`);
    const t = linkerdAdapter.translate(loaded.set);
    expect(t.diagnostics.filter((d) => d.feature === 'mtls.disabled').map((d) => [d.code, d.severity])).toEqual([['AM4001', 'error']]);
  });

  it('writes durations in Gateway API syntax, without fractions and with at most five digits per unit', () => {
    expect(gatewayDuration('1.5s')).toBe('1s500ms');
    expect(gatewayDuration('100000ms')).toBe('1m40s');
    expect(gatewayDuration('2h')).toBe('2h');
    expect(gatewayDuration('250ms')).toBe('250ms');
  });

  it('leaves out a match block with an absent-header condition rather than widening it', () => {
    const t = translateRules(
      `    - matches: [{ headers: { x-canary: { exact: '1' }, x-legacy: { absent: true } } }]\n      destinations: [{ version: v2 }]`,
    );
    expect(evaluateLinkerdRoute(t.state, get('/', { 'x-canary': '1', 'x-legacy': 'yes' }))).toMatchObject({
      targets: [{ version: undefined }],
    });
    expect(t.diagnostics.some((d) => d.code === 'AM4001' && d.feature === 'route.headerAbsent')).toBe(true);
  });
});
