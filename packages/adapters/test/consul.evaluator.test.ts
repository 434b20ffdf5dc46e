import { describe, expect, it } from 'vitest';
import { applyState, evaluateConsulIntentions, evaluateConsulRoute } from './evaluators/index.js';
import type { Manifest } from '../src/types.js';

/** Hand-written config entries, so these tests pin Consul's semantics, not the translator's. */
function entry(kind: string, name: string, spec: unknown, namespace = 'demo'): Manifest {
  return { apiVersion: 'consul.hashicorp.com/v1alpha1', kind, metadata: { name, namespace }, spec };
}

const resolver = entry('ServiceResolver', 'web', {
  subsets: { v1: { filter: 'Service.Meta.version == "v1"' }, v2: { filter: 'Service.Meta.version == "v2"' } },
});
const request = (path: string, headers: Record<string, string> = {}) => ({
  namespace: 'demo',
  service: 'web',
  request: { method: 'GET', path, headers, query: {} },
});

describe('Consul evaluator: discovery chain semantics', () => {
  it('treats pathPrefix as a character prefix, so /foo also matches /foobar', () => {
    const router = entry('ServiceRouter', 'web', {
      routes: [{ match: { http: { pathPrefix: '/foo' } }, destination: { serviceSubset: 'v2' } }],
    });
    expect(evaluateConsulRoute(applyState([router, resolver]), request('/foobar'))).toMatchObject({
      targets: [{ version: 'v2', share: 1 }],
    });
  });

  it('uses the first matching route, not the most specific one', () => {
    const router = entry('ServiceRouter', 'web', {
      routes: [
        { match: { http: { pathPrefix: '/' } }, destination: { serviceSubset: 'v1' } },
        { match: { http: { pathExact: '/a' } }, destination: { serviceSubset: 'v2' } },
      ],
    });
    expect(evaluateConsulRoute(applyState([router, resolver]), request('/a'))).toMatchObject({ targets: [{ version: 'v1' }] });
  });

  it('sends unmatched requests to the router service, all instances', () => {
    const router = entry('ServiceRouter', 'web', {
      routes: [{ match: { http: { pathExact: '/a' } }, destination: { serviceSubset: 'v2' } }],
    });
    expect(evaluateConsulRoute(applyState([router, resolver]), request('/b'))).toEqual({
      kind: 'forward',
      targets: [{ service: 'web', version: undefined, share: 1 }],
      path: '/b',
      host: undefined,
    });
  });

  it('splits a destination without a subset by its splitter, but never one with a subset', () => {
    const splitter = entry('ServiceSplitter', 'web', {
      splits: [
        { weight: 25, serviceSubset: 'v1' },
        { weight: 75, serviceSubset: 'v2' },
      ],
    });
    const router = entry('ServiceRouter', 'web', {
      routes: [{ match: { http: { pathExact: '/pinned' } }, destination: { serviceSubset: 'v1' } }],
    });
    const manifests = [router, splitter, resolver];
    expect(evaluateConsulRoute(applyState(manifests), request('/other'))).toMatchObject({
      targets: [
        { version: 'v1', share: 0.25 },
        { version: 'v2', share: 0.75 },
      ],
    });
    expect(evaluateConsulRoute(applyState(manifests), request('/pinned'))).toMatchObject({ targets: [{ version: 'v1', share: 1 }] });
  });

  it('rewrites by replacing as many characters as the matched prefix has', () => {
    const router = entry('ServiceRouter', 'web', {
      routes: [{ match: { http: { pathPrefix: '/api/' } }, destination: { prefixRewrite: '/v2/' } }],
    });
    expect(evaluateConsulRoute(applyState([router]), request('/api/items'))).toMatchObject({ path: '/v2/items' });
  });

  it('matches an inverted present header only when the header is absent', () => {
    const router = entry('ServiceRouter', 'web', {
      routes: [{ match: { http: { header: [{ name: 'x-legacy', present: true, invert: true }] } }, destination: { serviceSubset: 'v2' } }],
    });
    expect(evaluateConsulRoute(applyState([router, resolver]), request('/'))).toMatchObject({ targets: [{ version: 'v2' }] });
    expect(evaluateConsulRoute(applyState([router, resolver]), request('/', { 'x-legacy': '1' }))).toMatchObject({
      targets: [{ version: undefined }],
    });
  });
});

describe('Consul evaluator: intentions semantics', () => {
  const call = { sourceService: 'web', sourceNamespace: 'demo', namespace: 'demo', service: 'api', method: 'GET', path: '/x' };

  it('lets the most specific source decide even when a wildcard source denies', () => {
    const intentions = entry('ServiceIntentions', 'api', {
      destination: { name: 'api' },
      sources: [
        { name: '*', action: 'deny' },
        { name: 'web', action: 'allow' },
      ],
    });
    expect(evaluateConsulIntentions(applyState([intentions]), call, 'deny')).toBe(true);
  });

  it('applies the first matching permission and falls back to the ACL default when none matches', () => {
    const intentions = entry('ServiceIntentions', 'api', {
      destination: { name: 'api' },
      sources: [
        {
          name: 'web',
          permissions: [
            { action: 'allow', http: { pathPrefix: '/x' } },
            { action: 'deny', http: { pathPrefix: '/' } },
          ],
        },
      ],
    });
    expect(evaluateConsulIntentions(applyState([intentions]), call, 'deny')).toBe(true);
    const onlyAllow = entry('ServiceIntentions', 'api', {
      destination: { name: 'api' },
      sources: [{ name: 'web', permissions: [{ action: 'allow', http: { pathExact: '/y' } }] }],
    });
    expect(evaluateConsulIntentions(applyState([onlyAllow]), call, 'deny')).toBe(false);
    expect(evaluateConsulIntentions(applyState([onlyAllow]), call, 'allow')).toBe(true);
  });

  it('prefers an exact destination over the wildcard destination', () => {
    const wildcard = entry('ServiceIntentions', 'default-access', {
      destination: { name: '*' },
      sources: [{ name: 'web', action: 'deny' }],
    });
    const exact = entry('ServiceIntentions', 'api', { destination: { name: 'api' }, sources: [{ name: '*', action: 'allow' }] });
    expect(evaluateConsulIntentions(applyState([wildcard, exact]), call, 'deny')).toBe(true);
  });
});
