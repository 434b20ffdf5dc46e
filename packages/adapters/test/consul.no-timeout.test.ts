import { describe, expect, it } from 'vitest';
import { translateConsul } from '../src/consul/index.js';
import { evaluateConsulRoute, meshState } from './evaluators/index.js';
import { loadValid } from './consul-support.js';
import { consulValidationErrors } from './support/mesh-validation/consul.js';

const SERVICE = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: demo }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } } }
`;
const POLICY = `
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficPolicy
metadata: { name: web, namespace: demo }
spec: { target: { service: web }, requestTimeout: 3s, connectTimeout: 1s }
`;

describe('Consul "no request timeout" (regression: ServiceResolver requestTimeout -1s is refused by Consul)', () => {
  it('writes "no timeout" on a router route, never a negative resolver timeout, for an HTTP service without a timeout', () => {
    const set = loadValid(SERVICE, 'web.yaml');
    const { manifests } = translateConsul(set);
    expect(manifests.flatMap((m) => consulValidationErrors(m))).toEqual([]);
    const resolver = manifests.find((m) => m.kind === 'ServiceResolver');
    expect((resolver?.spec as { requestTimeout?: string } | undefined)?.requestTimeout).toBeUndefined();
    const routed = { namespace: 'demo', service: 'web', request: { method: 'GET', path: '/x', headers: {}, query: {} } };
    const router = manifests.find((m) => m.kind === 'ServiceRouter');
    expect(router?.spec).toEqual({
      routes: [{ match: { http: { pathPrefix: '/' } }, destination: { service: 'web', requestTimeout: '-1s' } }],
    });
    expect(evaluateConsulRoute(meshState(set, manifests), routed).kind).toBe('forward');
  });

  it('keeps a service-wide timeout on the resolver, where Consul applies it without a router', () => {
    const { manifests } = translateConsul(loadValid(SERVICE + POLICY, 'web.yaml'));
    expect(manifests.flatMap((m) => consulValidationErrors(m))).toEqual([]);
    expect(manifests.find((m) => m.kind === 'ServiceResolver')?.spec).toMatchObject({ requestTimeout: '3s', connectTimeout: '1s' });
    expect(manifests.some((m) => m.kind === 'ServiceRouter')).toBe(false);
  });
});
