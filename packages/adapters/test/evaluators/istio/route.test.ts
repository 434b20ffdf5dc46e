import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/index.js';
import { applyState } from '../applied-state.js';
import { get, WEB_CLUSTER } from '../fixtures.js';
import { evaluateIstioRoute } from './route.js';

const destinationRule: Manifest = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    host: 'web',
    subsets: [
      { name: 'one', labels: { version: 'v1' } },
      { name: 'two', labels: { version: 'v2' } },
      { name: 'everything', labels: { app: 'web' } },
    ],
  },
};

function virtualService(http: unknown[], hosts = ['web.shop.svc.cluster.local'], name = 'web'): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'shop' }, spec: { hosts, http } };
}

const state = (...objects: Manifest[]) => applyState([...WEB_CLUSTER, destinationRule, ...objects]);

describe('Istio route evaluator (hand-written manifests)', () => {
  it('splits by relative integer weights, not by count of destinations', () => {
    const vs = virtualService([
      {
        route: [
          { destination: { host: 'web', subset: 'one' }, weight: 3 },
          { destination: { host: 'web', subset: 'two' }, weight: 1 },
        ],
      },
    ]);
    expect(evaluateIstioRoute(state(vs), get('/'))).toMatchObject({
      kind: 'forward',
      targets: [
        { service: 'web', version: 'v1', share: 0.75 },
        { service: 'web', version: 'v2', share: 0.25 },
      ],
      path: '/',
      host: undefined,
    });
  });

  it('gives a zero-weight destination nothing and a lone destination everything', () => {
    const zero = virtualService([
      {
        route: [
          { destination: { host: 'web', subset: 'one' }, weight: 0 },
          { destination: { host: 'web', subset: 'two' }, weight: 5 },
        ],
      },
    ]);
    expect(evaluateIstioRoute(state(zero), get('/'))).toMatchObject({ targets: [{ version: 'v2', share: 1 }] });
    const lone = virtualService([{ route: [{ destination: { host: 'web', subset: 'one' }, weight: 10 }] }]);
    expect(evaluateIstioRoute(state(lone), get('/'))).toMatchObject({ targets: [{ version: 'v1', share: 1 }] });
  });

  it('names a destination by the pods its subset labels select, so a subset that selects every pod is all versions', () => {
    const vs = virtualService([{ route: [{ destination: { host: 'web', subset: 'everything' } }] }]);
    expect(evaluateIstioRoute(state(vs), get('/'))).toMatchObject({ targets: [{ service: 'web', version: undefined, share: 1 }] });
  });

  it('sends a request to an unknown subset nowhere (Envoy has no cluster for it)', () => {
    const vs = virtualService([{ route: [{ destination: { host: 'web', subset: 'three' } }] }]);
    expect(evaluateIstioRoute(state(vs), get('/'))).toMatchObject({ targets: [{ version: 'pods[]', share: 1 }] });
  });

  it('takes the first http entry that matches, in order, with character prefixes', () => {
    const vs = virtualService([
      { match: [{ uri: { prefix: '/a' } }], route: [{ destination: { host: 'web', subset: 'one' } }] },
      { route: [{ destination: { host: 'web', subset: 'two' } }] },
    ]);
    expect(evaluateIstioRoute(state(vs), get('/ab'))).toMatchObject({ targets: [{ version: 'v1' }] });
    expect(evaluateIstioRoute(state(vs), get('/b'))).toMatchObject({ targets: [{ version: 'v2' }] });
  });

  it('finds the VirtualService by host, whether written short (in its namespace) or fully qualified', () => {
    const short = virtualService([{ route: [{ destination: { host: 'web', subset: 'two' } }] }], ['web']);
    expect(evaluateIstioRoute(state(short), get('/'))).toMatchObject({ targets: [{ version: 'v2' }] });
    const otherHost = virtualService([{ route: [{ destination: { host: 'web', subset: 'two' } }] }], ['api']);
    expect(evaluateIstioRoute(state(otherHost), get('/'))).toMatchObject({ targets: [{ version: undefined, share: 1 }] });
  });

  it('sees only the last of two VirtualServices with one name (the first is replaced on apply)', () => {
    const first = virtualService([{ route: [{ destination: { host: 'web', subset: 'one' } }] }]);
    const second = virtualService([{ route: [{ destination: { host: 'web', subset: 'two' } }] }]);
    expect(evaluateIstioRoute(state(first, second), get('/'))).toMatchObject({ targets: [{ version: 'v2' }] });
  });

  it('answers a redirect with 301 unless a code is given, and replaces a matched prefix in rewrite.uri', () => {
    const vs = virtualService([
      { match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new' } },
      { match: [{ uri: { prefix: '/api/' } }], rewrite: { uri: '/v2/' }, route: [{ destination: { host: 'web' } }] },
    ]);
    // No port, scheme or authority written: the Location keeps the request's port and scheme, and the query.
    expect(evaluateIstioRoute(state(vs), get('/old/x'))).toEqual({
      kind: 'redirect',
      status: 301,
      path: '/new',
      host: undefined,
      scheme: undefined,
      port: 'request',
      query: 'kept',
    });
    expect(evaluateIstioRoute(state(vs), get('/api/items'))).toMatchObject({ path: '/v2/items', targets: [{ version: undefined }] });
  });

  it('matches header names case-insensitively and treats withoutHeaders as a veto', () => {
    const vs = virtualService([
      {
        match: [{ headers: { 'X-Canary': { exact: '1' } }, withoutHeaders: { 'x-legacy': {} } }],
        route: [{ destination: { host: 'web', subset: 'two' } }],
      },
    ]);
    expect(evaluateIstioRoute(state(vs), get('/', { 'x-canary': '1' }))).toMatchObject({ targets: [{ version: 'v2' }] });
    expect(evaluateIstioRoute(state(vs), get('/', { 'x-canary': '1', 'x-legacy': '' }))).toMatchObject({
      targets: [{ version: undefined }],
    });
  });

  it('reads timeout, retries, mirror and fault with Istio defaults (no retries field: 2 attempts on the default conditions)', () => {
    const vs = virtualService([
      {
        match: [{ uri: { prefix: '/slow' } }],
        route: [{ destination: { host: 'web' } }],
        timeout: '1.5s',
        retries: { attempts: 3, perTryTimeout: '250ms', retryOn: 'gateway-error,5xx' },
        mirror: { host: 'web.shop.svc.cluster.local', subset: 'two' },
        fault: { abort: { httpStatus: 503, percentage: { value: 10 } }, delay: { fixedDelay: '1m30s' } },
      },
      { route: [{ destination: { host: 'web' } }] },
    ]);
    expect(evaluateIstioRoute(state(vs), get('/slow'))).toMatchObject({
      effects: {
        timeoutMs: 1_500,
        retries: { attempts: 3, perTryTimeoutMs: 250, on: ['5xx', 'gateway-error'] },
        mirror: { service: 'web', version: 'two', percent: 100 },
        fault: { abort: { httpStatus: 503, percent: 10 }, delay: { fixedMs: 90_000, percent: 0 } },
      },
    });
    expect(evaluateIstioRoute(state(vs), get('/'))).toMatchObject({
      effects: {
        timeoutMs: undefined,
        retries: { attempts: 2, on: ['cancelled', 'connect-failure', 'refused-stream', 'retriable-status-codes', 'unavailable'] },
      },
    });
  });

  it('builds the Location port as Envoy does: a well-known port is left out, a new authority drops the request port', () => {
    const vs = virtualService([
      { match: [{ uri: { exact: '/a' } }], redirect: { scheme: 'https', port: 443 } },
      { match: [{ uri: { exact: '/b' } }], redirect: { authority: 'other.example' } },
      { match: [{ uri: { exact: '/c' } }], redirect: { port: 8443, uri: '/d?x=1' } },
    ]);
    expect(evaluateIstioRoute(state(vs), get('/a'))).toMatchObject({ scheme: 'https', port: 'request' });
    expect(evaluateIstioRoute(state(vs), get('/b'))).toMatchObject({ host: 'other.example', port: 'scheme-default' });
    expect(evaluateIstioRoute(state(vs), get('/c'))).toMatchObject({ port: 8443, query: 'dropped' });
  });
});
