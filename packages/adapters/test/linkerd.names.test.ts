import { describe, expect, it } from 'vitest';
import { spiffeId } from '@anymesh/core';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { evaluateLinkerdRoute, linkerdAllows, meshState } from './evaluators/index.js';
import { rejectedNames, sharedNames } from './support/manifest-names.js';
import { loadYaml } from './support/policy-cases.js';

const service = (name: string, extra = '') => `---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec:
  ports: [{ port: 8080 }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
${extra}`;

function translate(yaml: string) {
  const loaded = loadYaml(yaml, 'names.yaml');
  if (!loaded.valid) throw new Error(JSON.stringify(loaded.diagnostics, null, 2));
  const t = linkerdAdapter.translate(loaded.set);
  return { ...t, applied: meshState(loaded.set, t.manifests) };
}

const get = (svc: string, path = '/', headers: Record<string, string> = {}) => ({
  namespace: 'shop',
  service: svc,
  request: { method: 'GET', path, headers, query: {} },
});

describe('Linkerd generated names', () => {
  it('keeps the retry-group HTTPRoute cart-1 of service cart apart from the HTTPRoute of service cart-1 (regression: one overwrote the other)', () => {
    const { manifests, applied } = translate(`${service('cart')}${service('cart-1')}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: cart, namespace: shop }
spec:
  service: cart
  rules:
    - { matches: [{ path: { prefix: /a } }], destinations: [{ version: v1 }] }
    - { matches: [{ path: { prefix: /b } }], destinations: [{ version: v2 }], retries: { attempts: 2 } }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: cart-1, namespace: shop }
spec:
  service: cart-1
  rules: [{ destinations: [{ version: v2 }] }]
`);
    expect(sharedNames(manifests)).toEqual([]);
    expect(evaluateLinkerdRoute(applied, get('cart', '/b'))).toMatchObject({ targets: [{ service: 'cart', version: 'v2' }] });
    expect(evaluateLinkerdRoute(applied, get('cart-1', '/x'))).toMatchObject({ targets: [{ service: 'cart-1', version: 'v2' }] });
  });

  it('gives the per-version Service of api v2 another name when api-v2 is a real service (regression: it replaced the real one)', () => {
    const { manifests, applied } = translate(`${service('api')}${service('api-v2')}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: api, namespace: shop }
spec:
  service: api
  rules: [{ destinations: [{ version: v1, weight: 1 }, { version: v2, weight: 1 }] }]
`);
    const services = manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name);
    expect(services).not.toContain('api-v2');
    expect(services).toContain('api-v1');
    expect(evaluateLinkerdRoute(applied, get('api'))).toMatchObject({
      targets: [
        { service: 'api', version: 'v1', share: 0.5 },
        { service: 'api', version: 'v2', share: 0.5 },
      ],
    });
  });

  it('keeps per-version Service names within 63 characters and port names within 15, distinct per version', () => {
    const long = `s${'x'.repeat(58)}`;
    const { manifests } = translate(`---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ${long}, namespace: shop }
spec:
  ports: [{ port: 8080, name: http-with-a-long-name }, { port: 9090, name: admin }]
  versions: { version-one: { labels: { version: v1 } }, version-two: { labels: { version: v2 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: r, namespace: shop }
spec:
  service: ${long}
  rules: [{ destinations: [{ version: version-one }, { version: version-two }] }]
`);
    const services = manifests.filter((m) => m.kind === 'Service');
    expect(services).toHaveLength(2);
    expect(new Set(services.map((m) => m.metadata.name)).size).toBe(2);
    expect(rejectedNames(manifests)).toEqual([]);
    expect(sharedNames(manifests)).toEqual([]);
  });

  it('keeps the authentications of policy a rule b-c and policy a-b rule c apart, so each caller keeps exactly its own methods', () => {
    const { manifests, applied } = translate(`---
apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: mesh, namespace: shop }
spec: { defaultAccess: deny }
${service('web')}${service('alice')}${service('bob')}---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: a, namespace: shop }
spec:
  rules: [{ name: b-c, action: allow, from: [{ service: alice }], to: { service: web, methods: [GET] } }]
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: a-b, namespace: shop }
spec:
  rules: [{ name: c, action: allow, from: [{ service: bob }], to: { service: web, methods: [POST] } }]
`);
    expect(sharedNames(manifests)).toEqual([]);
    const allows = (caller: string, method: string) =>
      linkerdAllows(
        applied,
        { namespace: 'shop', service: 'web', port: 8080, method, path: '/', identity: spiffeId('cluster.local', 'shop', caller) },
        'cluster.local',
      );
    expect(allows('alice', 'GET')).toBe(true);
    expect(allows('alice', 'POST')).toBe(false);
    expect(allows('bob', 'POST')).toBe(true);
    expect(allows('bob', 'GET')).toBe(false);
  });
});
