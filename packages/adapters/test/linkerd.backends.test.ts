import { describe, expect, it } from 'vitest';
import { SOURCE_ANNOTATION, adapterFor, type Manifest } from '../src/index.js';
import { loadValid } from './consul-support.js';

const SET = `
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
  ports: [{ port: 9090, protocol: tcp }, { port: 9091, protocol: http }]
  versions: { v2: { labels: { version: v2 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web-routes, namespace: shop }
spec:
  service: web
  rules:
    - matches: [{ path: { prefix: /a } }]
      destinations: [{ service: api, version: v2 }, { version: v1, weight: 3 }, { service: api }]
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: api-routes, namespace: shop }
spec:
  service: api
  rules:
    - matches: [{ path: { prefix: /b } }]
      destinations: [{ version: v2 }]
    - matches: [{ path: { prefix: /c } }]
      rewrite: { pathPrefix: /d }
`;

type Rule = { matches?: { path?: { value: string } }[]; backendRefs?: { name: string; port: number; weight: number }[] };

function translate(): readonly Manifest[] {
  return adapterFor('linkerd')!.translate(loadValid(SET, 'backends.yaml')).manifests;
}

describe('Linkerd backendRefs', () => {
  it('send a version to its own Service, another service on its first HTTP port, and keep relative weights (default 1)', () => {
    const routes = translate().filter((m) => m.kind === 'HTTPRoute');
    const rule = routes
      .flatMap((r) => (r.spec as { rules?: Rule[] }).rules ?? [])
      .find((r) => r.matches?.some((m) => m.path?.value === '/a'));
    expect(rule?.backendRefs).toEqual([
      { name: 'api-v2', port: 9091, weight: 1 },
      { name: 'web-v1', port: 8080, weight: 3 },
      { name: 'api', port: 9091, weight: 1 },
    ]);
  });

  it('send a rule without destinations to the whole service it routes', () => {
    const rule = translate()
      .filter((m) => m.kind === 'HTTPRoute')
      .flatMap((r) => (r.spec as { rules?: Rule[] }).rules ?? [])
      .find((r) => r.matches?.some((m) => m.path?.value === '/c'));
    expect(rule?.backendRefs).toEqual([{ name: 'api', port: 9091, weight: 1 }]);
  });

  it('emit one per-version Service for a version two routes send to, sourced from both routes', () => {
    const apiV2 = translate().filter((m) => m.kind === 'Service' && m.metadata.name === 'api-v2');
    expect(apiV2).toHaveLength(1);
    expect(apiV2[0]!.metadata.annotations?.[SOURCE_ANNOTATION]?.split(',').sort()).toEqual([
      'Service/shop/api',
      'TrafficRoute/shop/api-routes',
      'TrafficRoute/shop/web-routes',
    ]);
  });
});
