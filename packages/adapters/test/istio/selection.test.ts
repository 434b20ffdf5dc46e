import { describe, expect, it } from 'vitest';
import { compileAccess, spiffeId } from '@anymesh/core';
import { istioAdapter } from '../../src/index.js';
import { evaluateIstioAccess, meshState } from '../evaluators/index.js';
import { loadYaml } from '../support/policy-cases.js';

const MESH = `apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: mesh, namespace: shop }
spec: { defaultAccess: deny }
`;

const service = (name: string, ports: string, selector = '{ app: shop }') => `---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec: { selector: ${selector}, ports: ${ports} }
`;

const policy = (rules: string) => `---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: p, namespace: shop }
spec:
  rules: ${rules}
`;

function setup(yaml: string) {
  const loaded = loadYaml(yaml, 'selection.yaml');
  if (!loaded.valid) throw new Error(JSON.stringify(loaded.diagnostics, null, 2));
  const t = istioAdapter.translate(loaded.set);
  const state = meshState(loaded.set, t.manifests);
  const neutral = compileAccess(loaded.set);
  const call = (caller: string, svc: string, port: number, method = 'GET') => {
    const req = { namespace: 'shop', service: svc, port, method, path: '/', identity: spiffeId('cluster.local', 'shop', caller) };
    return { istio: evaluateIstioAccess(state, req), neutral: neutral(req).allowed };
  };
  return { t, call };
}

const operations = (manifests: readonly { kind: string; spec?: unknown }[], action: string) =>
  manifests
    .filter((m) => m.kind === 'AuthorizationPolicy' && (m.spec as { action?: string }).action === action)
    .flatMap((m) => (m.spec as { rules?: { to?: { operation: unknown }[] }[] }).rules ?? [])
    .flatMap((r) => (r.to ?? []).map((x) => x.operation));

describe('Istio authorization of services that share pods', () => {
  it('refuses the admin caller on the public service when both Services select the same pods (regression: allowed under default deny)', () => {
    const { t, call } = setup(
      `${MESH}${service('public', '[{ port: 8080 }]')}${service('admin', '[{ port: 9090 }]')}${service('ops', '[{ port: 8080 }]', '{ app: ops }')}` +
        policy('[{ action: allow, from: [{ service: ops }], to: { service: admin } }]'),
    );
    expect(call('ops', 'admin', 9090)).toEqual({ istio: true, neutral: true });
    expect(call('ops', 'public', 8080)).toEqual({ istio: false, neutral: false });
    expect(t.diagnostics.filter((d) => d.code === 'AM4002')).toEqual([]);
  });

  it('reports a rule of a service whose pods another service may also serve on the same port number', () => {
    const { t } = setup(
      `${MESH}${service('public', '[{ port: 8080 }]')}${service('admin', '[{ port: 8080 }]', '{ app: shop, tier: admin }')}` +
        policy('[{ action: allow, from: [{ namespace: shop }], to: { service: admin } }]'),
    );
    const found = t.diagnostics.filter((d) => d.code === 'AM4002' && d.feature === 'access.destinationPort');
    expect(found.map((d) => d.message)).toEqual([
      expect.stringContaining('public may select the same pods as admin and also use port 8080'),
    ]);
  });
});

describe('Istio DENY rules with methods or paths on pods with TCP ports', () => {
  it('names the HTTP ports only, so TCP connections (where Istio ignores methods and paths) are not all refused', () => {
    const { t, call } = setup(
      `${service('db', '[{ port: 8080 }, { port: 5432, protocol: tcp }]')}${service('app', '[{ port: 8080 }]', '{ app: app }')}` +
        policy('[{ action: deny, from: [{ service: app }], to: { service: db, methods: [POST] } }]'),
    );
    // Istio's TCP authorization task: a DENY rule's HTTP-only fields are ignored on TCP, the rule then matches every connection.
    expect(operations(t.manifests, 'DENY')).toEqual([{ ports: ['8080'], methods: ['POST'] }]);
    expect(call('app', 'db', 8080, 'POST')).toEqual({ istio: false, neutral: false });
    expect(call('app', 'db', 8080, 'GET')).toEqual({ istio: true, neutral: true });
  });
});
