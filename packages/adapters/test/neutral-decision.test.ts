import { describe, expect, it } from 'vitest';
import type { PolicySet } from '@anymesh/core';
import type { RouteDecision } from '../src/index.js';
import { canonicalDecision, neutralDecision, replaceSegmentPrefix } from './support/neutral-decision.js';
import { loadYaml } from './support/policy-cases.js';

/**
 * The neutral oracle of the fidelity properties, pinned on hand-written cases from docs/model.md:
 * a mutation of it that the properties cannot see (both sides of a comparison change alike) shows here.
 */
function routeSet(rules: string): PolicySet {
  const loaded = loadYaml(`
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  ports: [{ port: 8080, protocol: http }]
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec:
  service: web
  rules:
${rules}`);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.set;
}

const decide = (set: PolicySet, path: string, headers: Record<string, string> = {}, service = 'web') =>
  neutralDecision(set, { namespace: 'shop', service, request: { method: 'GET', path, headers, query: {} } });

describe('replaceSegmentPrefix (Gateway API ReplacePrefixMatch on segment prefixes)', () => {
  it.each([
    ['/foo', '/bar', '/foo/x', '/bar/x'],
    ['/foo', '/bar', '/foo', '/bar'],
    ['/foo/', '/bar/', '/foo/x', '/bar/x'],
    ['/', '/bar', '/x', '/bar/x'],
    ['/', '/bar', '/', '/bar'],
    ['/foo', '/', '/foo/x', '/x'],
    ['/foo', '/', '/foo', '/'],
    ['/', '/', '/', '/'],
    ['/', '/', '/x', '/x'],
  ])('replaces %s by %s in %s: %s', (prefix, replacement, path, want) => {
    expect(replaceSegmentPrefix(prefix, replacement, path)).toBe(want);
  });
});

describe('neutralDecision', () => {
  it('forwards to every version of the service, path unchanged, when no rule (or no route) matches', () => {
    const set = routeSet(`    - matches: [{ path: { exact: /only } }]\n      destinations: [{ version: v2 }]`);
    const all = { kind: 'forward', targets: [{ service: 'web', version: undefined, share: 1 }], path: '/x', host: undefined };
    expect(decide(set, '/x')).toEqual(all);
    expect(decide(set, '/x', {}, 'api')).toEqual({ ...all, targets: [{ service: 'api', version: undefined, share: 1 }] });
  });

  it('splits by relative weights (default 1), to other services too, and sends a rule without destinations everywhere', () => {
    const set = routeSet(
      [
        `    - matches: [{ path: { prefix: /s } }]\n      destinations: [{ service: api }, { version: v2, weight: 3 }]`,
        `    - matches: [{ path: { prefix: /n } }]\n      rewrite: { host: h.example }`,
      ].join('\n'),
    );
    expect(decide(set, '/s/1')).toEqual({
      kind: 'forward',
      targets: [
        { service: 'api', version: undefined, share: 0.25 },
        { service: 'web', version: 'v2', share: 0.75 },
      ],
      path: '/s/1',
      host: undefined,
    });
    expect(decide(set, '/n')).toEqual({
      kind: 'forward',
      targets: [{ service: 'web', version: undefined, share: 1 }],
      path: '/n',
      host: 'h.example',
    });
  });

  it('rewrites a full path, and a prefix in place of the matched prefix', () => {
    const set = routeSet(
      [
        `    - matches: [{ path: { prefix: /old } }]\n      rewrite: { pathPrefix: /new }`,
        `    - matches: [{ path: { prefix: /full } }]\n      rewrite: { fullPath: /index }`,
      ].join('\n'),
    );
    const pathOf = (d: RouteDecision) => (d.kind === 'forward' ? d.path : undefined);
    expect(pathOf(decide(set, '/old/a'))).toBe('/new/a');
    expect(pathOf(decide(set, '/old'))).toBe('/new');
    expect(pathOf(decide(set, '/full/a'))).toBe('/index');
  });

  it('redirects with 302 by default, the matched prefix replaced, the port by scheme or as given, the query kept', () => {
    const set = routeSet(
      [
        `    - matches: [{ path: { prefix: /old } }]\n      redirect: { pathPrefix: /new }`,
        `    - matches: [{ path: { exact: /s } }]\n      redirect: { scheme: https, host: o.example, statusCode: 301 }`,
        `    - matches: [{ path: { exact: /p } }]\n      redirect: { path: /q, port: 8443 }`,
        `    - matches: [{ path: { exact: /w } }]\n      redirect: { host: o.example, port: 80 }`,
      ].join('\n'),
    );
    const base = { kind: 'redirect', status: 302, path: undefined, host: undefined, scheme: undefined, port: 'request', query: 'kept' };
    expect(decide(set, '/old/a')).toEqual({ ...base, path: '/new/a' });
    expect(decide(set, '/s')).toEqual({ ...base, status: 301, host: 'o.example', scheme: 'https', port: 'scheme-default' });
    expect(decide(set, '/p')).toEqual({ ...base, path: '/q', port: 8443 });
    expect(decide(set, '/w')).toEqual({ ...base, host: 'o.example', port: 'scheme-default' });
  });
});

describe('canonicalDecision', () => {
  it('keeps a redirect as it is', () => {
    const r: RouteDecision = {
      kind: 'redirect',
      status: 301,
      path: '/x',
      host: undefined,
      scheme: undefined,
      port: 'request',
      query: 'kept',
    };
    expect(canonicalDecision(r)).toBe(r);
  });

  it('merges targets per service and version, sorts them, and rounds shares to 1e-9', () => {
    const d: RouteDecision = {
      kind: 'forward',
      targets: [
        { service: 'web', version: 'v2', share: 0.1 },
        { service: 'web', version: undefined, share: 0.1 },
        { service: 'web', version: undefined, share: 0.1 },
        { service: 'web', version: 'v1', share: 0.2 },
        { service: 'web', version: 'v2', share: 0.2 },
        { service: 'api', version: undefined, share: 1 / 3 },
      ],
      path: '/p',
      host: 'h',
    };
    expect(canonicalDecision(d)).toEqual({
      kind: 'forward',
      path: '/p',
      host: 'h',
      targets: [
        ['api/*', 0.333333333],
        ['web/*', 0.2],
        ['web/v1', 0.2],
        ['web/v2', 0.3],
      ],
    });
  });
});
