import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/index.js';
import { applyState } from '../applied-state.js';
import { WEB_CLUSTER } from '../fixtures.js';
import { evaluateIstioAccess } from './access.js';

const call = (identity: string | undefined, method = 'GET', path = '/') => ({
  identity,
  namespace: 'shop',
  service: 'web',
  port: 8080,
  method,
  path,
});
const CLIENT = 'spiffe://cluster.local/ns/shop/sa/client';
const OTHER = 'spiffe://cluster.local/ns/other/sa/batch';

function policy(name: string, spec: Record<string, unknown>, namespace = 'shop'): Manifest {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace }, spec };
}

const allowClient = policy('allow-client', {
  selector: { matchLabels: { app: 'web' } },
  action: 'ALLOW',
  rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/client'] } }] }],
});

describe('Istio access evaluator (hand-written manifests)', () => {
  it('allows everything when no policy selects the pods', () => {
    expect(evaluateIstioAccess(applyState([...WEB_CLUSTER]), call(undefined))).toBe(true);
  });

  it('allows only what some ALLOW policy matches once one selects the pods', () => {
    const state = applyState([...WEB_CLUSTER, allowClient]);
    expect(evaluateIstioAccess(state, call(CLIENT))).toBe(true);
    expect(evaluateIstioAccess(state, call(OTHER))).toBe(false);
  });

  it('lets a matching DENY win over a matching ALLOW', () => {
    const deny = policy('deny-post', {
      selector: { matchLabels: { app: 'web' } },
      action: 'DENY',
      rules: [{ to: [{ operation: { methods: ['POST'] } }] }],
    });
    const state = applyState([...WEB_CLUSTER, allowClient, deny]);
    expect(evaluateIstioAccess(state, call(CLIENT, 'GET'))).toBe(true);
    expect(evaluateIstioAccess(state, call(CLIENT, 'POST'))).toBe(false);
  });

  it('ignores a policy whose selector picks no pod of the service (selection is by pod labels)', () => {
    const elsewhere = { ...allowClient, spec: { ...(allowClient.spec as object), selector: { matchLabels: { app: 'api' } } } };
    expect(evaluateIstioAccess(applyState([...WEB_CLUSTER, elsewhere]), call(OTHER))).toBe(true);
  });

  it('treats an ALLOW policy without rules as allow-nothing for the whole namespace', () => {
    expect(evaluateIstioAccess(applyState([...WEB_CLUSTER, policy('allow-nothing', { action: 'ALLOW' })]), call(CLIENT))).toBe(false);
  });

  it('refuses to decide when the pods of a service would decide differently', () => {
    const onlyV1 = policy('v1-only', { selector: { matchLabels: { version: 'v1' } }, action: 'ALLOW', rules: [{}] });
    const deny = policy('v2-deny', { selector: { matchLabels: { version: 'v2' } }, action: 'DENY', rules: [{}] });
    expect(() => evaluateIstioAccess(applyState([...WEB_CLUSTER, onlyV1, deny]), call(CLIENT))).toThrow(/decide differently/);
  });

  it('matches paths with Istio globs: prefix*, *suffix and exact', () => {
    const paths = policy('paths', {
      selector: { matchLabels: { app: 'web' } },
      action: 'ALLOW',
      rules: [{ to: [{ operation: { paths: ['/a/*', '*.json', '/b'] } }] }],
    });
    const state = applyState([...WEB_CLUSTER, paths]);
    expect(['/a/x', '/x.json', '/b', '/bb', '/a'].map((p) => evaluateIstioAccess(state, call(CLIENT, 'GET', p)))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
