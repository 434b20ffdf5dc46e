import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/index.js';
import { applyState } from '../applied-state.js';
import { WEB_CLUSTER } from '../fixtures.js';
import { linkerdAllows } from './inbound.js';

const TD = 'cluster.local';
const CLIENT = 'spiffe://cluster.local/ns/shop/sa/client';
const call = (identity: string | undefined, path = '/', port = 8080) => ({
  identity,
  namespace: 'shop',
  service: 'web',
  port,
  method: 'GET',
  path,
});
const policyObject = (kind: string, name: string, spec: unknown, version = 'v1alpha1'): Manifest => ({
  apiVersion: `policy.linkerd.io/${version}`,
  kind,
  metadata: { name, namespace: 'shop' },
  spec,
});
const server = (name: string, accessPolicy: string, podSelector = { matchLabels: { app: 'web' } }, port: number | string = 8080) =>
  policyObject('Server', name, { podSelector, port, accessPolicy }, 'v1beta3');
const meshAuthn = (identities: string[]) => policyObject('MeshTLSAuthentication', 'clients', { identities });
const authz = (targetKind: string, target: string) =>
  policyObject('AuthorizationPolicy', `${target}-authz`, {
    targetRef: { group: 'policy.linkerd.io', kind: targetKind, name: target },
    requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'clients' }],
  });

describe('Linkerd inbound evaluator (hand-written manifests)', () => {
  it('uses the cluster default (all-unauthenticated) when no Server selects the pod and port', () => {
    const elsewhere = server('api-http', 'deny', { matchLabels: { app: 'api' } });
    expect(linkerdAllows(applyState([...WEB_CLUSTER, elsewhere]), call(undefined), TD)).toBe(true);
  });

  it('finds the Server by pod selector and port, whatever its name', () => {
    const state = applyState([
      ...WEB_CLUSTER,
      server('anything', 'deny'),
      meshAuthn(['client.shop.serviceaccount.identity.linkerd.cluster.local']),
      authz('Server', 'anything'),
    ]);
    expect(linkerdAllows(state, call(CLIENT), TD)).toBe(true);
    expect(linkerdAllows(state, call('spiffe://cluster.local/ns/shop/sa/other'), TD)).toBe(false);
  });

  it('selects a Server by container port name too', () => {
    const byName = server('web-named', 'all-authenticated', { matchLabels: { app: 'web' } }, 'http');
    expect(linkerdAllows(applyState([...WEB_CLUSTER, byName]), call(undefined), TD)).toBe(false);
  });

  it('matches identity wildcards on Linkerd DNS-style identities', () => {
    const state = applyState([
      ...WEB_CLUSTER,
      server('s', 'deny'),
      meshAuthn(['*.shop.serviceaccount.identity.linkerd.cluster.local']),
      authz('Server', 's'),
    ]);
    expect(linkerdAllows(state, call(CLIENT), TD)).toBe(true);
    expect(linkerdAllows(state, call('spiffe://cluster.local/ns/ops/sa/robot'), TD)).toBe(false);
    expect(linkerdAllows(state, call(undefined), TD)).toBe(false);
  });

  it('authorizes on the inbound route the request selects, and denies (404) a request no attached route matches', () => {
    const route = policyObject(
      'HTTPRoute',
      'admin',
      {
        parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: 's' }],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/admin' } }] }],
      },
      'v1beta3',
    );
    const state = applyState([...WEB_CLUSTER, server('s', 'deny'), route, meshAuthn(['*']), authz('HTTPRoute', 'admin')]);
    expect(linkerdAllows(state, call(CLIENT, '/admin/x'), TD)).toBe(true);
    expect(linkerdAllows(state, call(CLIENT, '/public'), TD)).toBe(false);
  });
});
