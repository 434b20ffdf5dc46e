import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/index.js';
import { applyState } from '../applied-state.js';
import { get, k8sService, WEB_CLUSTER } from '../fixtures.js';
import { rankOf } from './match.js';
import { evaluateLinkerdRoute } from './route.js';

const versionServices = [
  k8sService('shop', 'web-one', { app: 'web', version: 'v1' }),
  k8sService('shop', 'web-two', { app: 'web', version: 'v2' }),
];

function httpRoute(
  name: string,
  rules: unknown[],
  parentRef: Record<string, unknown> = { group: '', kind: 'Service', name: 'web', port: 8080 },
): Manifest {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'shop' },
    spec: { parentRefs: [parentRef], rules },
  };
}

const state = (...objects: Manifest[]) => applyState([...WEB_CLUSTER, ...versionServices, ...objects]);
const to = (name: string, weight?: number) => ({ name, port: 8080, ...(weight === undefined ? {} : { weight }) });

describe('Linkerd route evaluator (hand-written manifests)', () => {
  it('splits by backendRef weights (default 1) and names backends by the pods their Service selects', () => {
    const route = httpRoute('web', [{ backendRefs: [to('web-one', 1), to('web-two', 3)] }]);
    expect(evaluateLinkerdRoute(state(route), get('/'))).toMatchObject({
      targets: [
        { service: 'web', version: 'v1', share: 0.25 },
        { service: 'web', version: 'v2', share: 0.75 },
      ],
    });
    const defaults = httpRoute('web', [{ backendRefs: [to('web-one'), to('web-two')] }]);
    expect(evaluateLinkerdRoute(state(defaults), get('/'))).toMatchObject({ targets: [{ share: 0.5 }, { share: 0.5 }] });
  });

  it('ranks by path length, then method, then header count, then query count — not by rule order', () => {
    const route = httpRoute('web', [
      { matches: [{ path: { type: 'PathPrefix', value: '/a' } }], backendRefs: [to('web-one')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/a/b' } }], backendRefs: [to('web-two')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/a' }, method: 'POST' }], backendRefs: [to('web-two')] },
    ]);
    expect(evaluateLinkerdRoute(state(route), get('/a/b/c'))).toMatchObject({ targets: [{ version: 'v2' }] });
    expect(evaluateLinkerdRoute(state(route), get('/a/x'))).toMatchObject({ targets: [{ version: 'v1' }] });
    expect(evaluateLinkerdRoute(state(route), get('/a/x', {}, 'POST'))).toMatchObject({ targets: [{ version: 'v2' }] });
  });

  it('keeps the first of equally ranked rules, across routes ordered by name', () => {
    const b = httpRoute('b-route', [{ backendRefs: [to('web-two')] }]);
    const a = httpRoute('a-route', [{ backendRefs: [to('web-one')] }]);
    expect(evaluateLinkerdRoute(state(b, a), get('/'))).toMatchObject({ targets: [{ version: 'v1' }] });
  });

  it('matches prefixes by whole segments, ignoring trailing slashes', () => {
    expect(rankOf({ path: { type: 'PathPrefix', value: '/foo/' } }, get('/foo').request)).toEqual([4, 0, 0, 0]);
    expect(rankOf({ path: { type: 'PathPrefix', value: '/foo' } }, get('/foobar').request)).toBeUndefined();
    expect(rankOf({ path: { type: 'RegularExpression', value: '/f.*' } }, get('/foobar').request)).toEqual([7, 0, 0, 0]);
  });

  it('answers 404 (a forward to nobody) when routes are attached but none matches', () => {
    const route = httpRoute('web', [{ matches: [{ path: { type: 'Exact', value: '/only' } }], backendRefs: [to('web-one')] }]);
    expect(evaluateLinkerdRoute(state(route), get('/other'))).toMatchObject({ kind: 'forward', targets: [] });
  });

  it('ignores routes attached to another Service or another port', () => {
    const otherPort = httpRoute('web', [{ backendRefs: [to('web-two')] }], { group: '', kind: 'Service', name: 'web', port: 9090 });
    const otherService = httpRoute('api', [{ backendRefs: [to('web-two')] }], { group: '', kind: 'Service', name: 'api' });
    expect(evaluateLinkerdRoute(state(otherPort, otherService), get('/'))).toMatchObject({ targets: [{ version: undefined, share: 1 }] });
  });

  it('redirects with ReplacePrefixMatch as the proxy does: replacement + rest, adding a slash only when the rest lacks one', () => {
    const route = (replacePrefixMatch: string) =>
      httpRoute('web', [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/old' } }],
          filters: [
            { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch }, statusCode: 301 } },
          ],
        },
      ]);
    expect(evaluateLinkerdRoute(state(route('/new')), get('/old/x'))).toEqual({
      kind: 'redirect',
      status: 301,
      path: '/new/x',
      host: undefined,
      scheme: undefined,
      port: 'request',
      query: 'kept',
    });
    expect(evaluateLinkerdRoute(state(route('/')), get('/old/x'))).toMatchObject({ path: '//x' });
  });
});
