import { describe, expect, it } from 'vitest';
import { CrdValidator } from './support/crd-validator.js';

const virtualService = (http: unknown[]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'bookstore' },
  spec: { hosts: ['reviews.bookstore.svc.cluster.local'], http },
});

describe('the CRD validator (real upstream CRDs)', () => {
  const validator = new CrdValidator();

  it('accepts a well-formed VirtualService', () => {
    const vs = virtualService([{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 100 }], timeout: '2s' }]);
    expect(validator.validate(vs)).toEqual([]);
  });

  it('rejects a field the CRD does not declare, naming it', () => {
    const vs = virtualService([{ route: [{ destination: { host: 'reviews' } }], retryz: { attempts: 1 } }]);
    expect(validator.validate(vs)).toEqual(['/spec/http/0: unknown field "retryz"']);
  });

  it('rejects an unknown field at the root, where CRDs declare only spec and status', () => {
    expect(validator.validate({ ...virtualService([]), specs: {} })).toEqual(['/: unknown field "specs"']);
  });

  it('rejects a value of the wrong type', () => {
    const dr = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'bookstore' },
      spec: { host: 'reviews', trafficPolicy: { connectionPool: { tcp: { maxConnections: 'lots' } } } },
    };
    expect(validator.validate(dr)).toEqual(['/spec/trafficPolicy/connectionPool/tcp/maxConnections: must be integer']);
  });

  it('rejects a manifest that fails an x-kubernetes-validations CEL rule', () => {
    const errors = validator.validate(virtualService([{ route: [{ destination: { host: 'reviews' } }], timeout: '0s' }]));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\/spec\/http\/0\/timeout: .*duration\(self\) >= duration\('1ms'\)/);
  });

  it('rejects an AuthorizationPolicy that sets both selector and targetRef (a CEL rule)', () => {
    const ap = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'x', namespace: 'bookstore' },
      spec: { selector: { matchLabels: { app: 'x' } }, targetRef: { kind: 'Service', group: '', name: 'x' } },
    };
    expect(validator.validate(ap).join('\n')).toMatch(/selector/);
  });

  it('rejects a name that is not a DNS-1123 subdomain', () => {
    const vs = { ...virtualService([]), metadata: { name: 'Reviews_V1', namespace: 'bookstore' } };
    expect(validator.validate(vs)).toEqual([expect.stringMatching(/^\/metadata\/name: "Reviews_V1" must be a DNS-1123 subdomain/)]);
  });

  it('rejects a version the CRD does not serve and a kind no CRD defines', () => {
    const tt = { apiVersion: 'access.smi-spec.io/v1alpha1', kind: 'TrafficTarget', metadata: { name: 'x' }, spec: {} };
    expect(validator.validate(tt)).toEqual([expect.stringMatching(/not served/)]);
    expect(validator.validate({ apiVersion: 'networking.istio.io/v1', kind: 'Route', metadata: { name: 'x' } })).toEqual([
      expect.stringMatching(/no CRD defines Route/),
    ]);
  });

  it('picks the CRD by group as well as kind (Gateway API HTTPRoute is not Linkerd HTTPRoute)', () => {
    const route = {
      apiVersion: 'policy.linkerd.io/v1beta3',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'ns' },
      spec: { parentRefs: [{ name: 's', kind: 'Service', group: 'core', port: 80 }], rules: [{ timeouts: { request: '1s' } }] },
    };
    expect(validator.validate(route)).toEqual([]);
    expect(validator.validate({ ...route, apiVersion: 'gateway.networking.k8s.io/v1' })).toEqual([]);
  });

  it('accepts Go durations for the Kubernetes duration format and rejects ISO-8601 ones', () => {
    const route = (request: string) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'ns' },
      spec: { parentRefs: [{ name: 's', kind: 'Service', group: '' }], rules: [{ timeouts: { request } }] },
    });
    expect(validator.validate(route('1m30s'))).toEqual([]);
    expect(validator.validate(route('PT1M')).length).toBeGreaterThan(0);
  });
});
