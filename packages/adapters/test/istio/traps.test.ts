import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { istioAdapter, manifestsToYaml, type Manifest } from '../../src/index.js';
import { evaluateIstioRoute, meshState } from '../evaluators/index.js';
import { goldenCases, loadBookstore, loadFiles, loadYaml } from '../support/policy-cases.js';

const SERVICE = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ port: 8080 }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
`;

function translate(yaml: string, strict = false) {
  const loaded = loadYaml(`${SERVICE}\n---\n${yaml}`);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const t = istioAdapter.translate(loaded.set, { strict });
  return { ...t, state: meshState(loaded.set, t.manifests) };
}

const http = (manifests: readonly Manifest[]) =>
  (manifests.find((m) => m.kind === 'VirtualService')!.spec as { http: Record<string, unknown>[] }).http;

describe('Istio semantic traps', () => {
  it('tells Istio not to retry (attempts: 0) wherever the neutral model has no retry policy, even with no TrafficRoute', () => {
    const t = translate('apiVersion: anymesh.io/v1alpha1\nkind: Mesh\nmetadata: { name: m }\nspec: {}');
    expect(http(t.manifests)).toEqual([
      { name: 'default', retries: { attempts: 0 }, route: [{ destination: { host: 'web.shop.svc.cluster.local' } }] },
    ]);
  });

  it('reports that Istio drops the timeout and retries of a rule that injects a fault', () => {
    const t = translate(`
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec:
  service: web
  rules: [{ fault: { abort: { httpStatus: 500, percent: 1 } }, timeout: 1s }]`);
    expect(t.diagnostics.map((d) => [d.code, d.feature, d.path])).toContainEqual(['AM4002', 'fault.abort', 'spec.rules[0].fault']);
    expect(http(t.manifests)[0]).toMatchObject({ fault: { abort: { httpStatus: 500, percentage: { value: 1 } } }, timeout: '1s' });
  });

  it('adds outlier detection when failover is set without it, and says so', () => {
    const t = translate(`
apiVersion: anymesh.io/v1alpha1
kind: TrafficPolicy
metadata: { name: web, namespace: shop }
spec: { target: { service: web }, failover: { mode: nearest } }`);
    const dr = t.manifests.find((m) => m.kind === 'DestinationRule')!.spec as { trafficPolicy: Record<string, unknown> };
    expect(dr.trafficPolicy).toEqual({
      loadBalancer: { localityLbSetting: { enabled: true } },
      outlierDetection: { baseEjectionTime: '30s', consecutive5xxErrors: 5, interval: '10s', maxEjectionPercent: 10 },
    });
    expect(t.diagnostics.some((d) => d.code === 'AM4002' && d.feature === 'failover.locality' && /outlierDetection/.test(d.message))).toBe(
      true,
    );
  });

  it('writes no ALLOW policy under default allow (it would deny everything else), only the DENY', () => {
    const t = translate(`
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: web, namespace: shop }
spec:
  rules:
    - { action: allow, from: [{ namespace: shop }], to: { service: web } }
    - { action: deny, to: { service: web, methods: [DELETE] } }`);
    const actions = t.manifests.filter((m) => m.kind === 'AuthorizationPolicy').map((m) => (m.spec as { action: string }).action);
    expect(actions).toEqual(['DENY']);
    expect(t.diagnostics.find((d) => d.path === 'spec.rules[0].action')?.code).toBe('AM4003');
  });

  it('leaves out an allow source naming a version that shares its service account, failing closed', () => {
    const t = translate(`
apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: m }
spec: { defaultAccess: deny }
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: web, namespace: shop }
spec:
  rules: [{ action: allow, from: [{ service: web, version: v1 }], to: { service: web } }]`);
    expect(t.manifests.filter((m) => m.kind === 'AuthorizationPolicy').map((m) => m.metadata.name)).toEqual(['allow-nothing']);
    expect(t.diagnostics.find((d) => d.feature === 'access.sourceVersion')?.code).toBe('AM4001');
  });

  it('writes the neutral default redirect code 302 explicitly (Istio would answer 301)', () => {
    const t = translate(`
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec: { service: web, rules: [{ matches: [{ path: { exact: /x } }], redirect: { path: /y } }] }`);
    expect(http(t.manifests)[0]).toMatchObject({ redirect: { redirectCode: 302, uri: '/y' } });
  });

  const redirectRoute = (redirect: string) => `
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec: { service: web, rules: [{ matches: [{ path: { exact: /x } }], redirect: ${redirect} }] }`;
  const get = (path: string) => ({ namespace: 'shop', service: 'web', request: { method: 'GET', path, headers: {}, query: {} } });

  it('keeps the request port on a host-only redirect (derivePort FROM_REQUEST_PORT); Envoy drops it otherwise', () => {
    const t = translate(redirectRoute('{ host: other.example }'));
    expect(http(t.manifests)[0]).toMatchObject({ redirect: { authority: 'other.example', derivePort: 'FROM_REQUEST_PORT' } });
    expect(evaluateIstioRoute(t.state, get('/x'))).toMatchObject({ kind: 'redirect', host: 'other.example', port: 'request' });
    expect(t.diagnostics.filter((d) => d.feature === 'redirect')).toEqual([]);
  });

  it('sends a scheme and host redirect to the scheme default port, and reports a scheme-only one (Envoy keeps port 8080)', () => {
    const withHost = translate(redirectRoute('{ scheme: https, host: other.example }'));
    expect(http(withHost.manifests)[0]).toMatchObject({ redirect: { scheme: 'https', derivePort: 'FROM_PROTOCOL_DEFAULT' } });
    expect(evaluateIstioRoute(withHost.state, get('/x'))).toMatchObject({ scheme: 'https', port: 'scheme-default' });
    expect(withHost.diagnostics.filter((d) => d.feature === 'redirect')).toEqual([]);

    const schemeOnly = translate(redirectRoute('{ scheme: https }'));
    expect(evaluateIstioRoute(schemeOnly.state, get('/x'))).toMatchObject({ scheme: 'https', port: 'request' });
    expect(schemeOnly.diagnostics.map((d) => [d.code, d.feature, d.path])).toEqual([
      ['AM4002', 'redirect', 'spec.rules[0].redirect.scheme'],
    ]);
  });

  it('makes approximations errors under strict, while assumptions stay informational', () => {
    const yaml = `
apiVersion: anymesh.io/v1alpha1
kind: TrafficPolicy
metadata: { name: web, namespace: shop }
spec: { target: { service: web }, retryBudget: { percent: 10 } }
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: web, namespace: shop }
spec: { rules: [{ action: deny, to: { service: web, ports: [8080] } }] }`;
    const strict = translate(yaml, true).diagnostics;
    expect(strict.find((d) => d.code === 'AM4002')?.severity).toBe('error');
    expect(strict.find((d) => d.code === 'AM4003')?.severity).toBe('info');
    expect(translate(yaml).diagnostics.find((d) => d.code === 'AM4002')?.severity).toBe('warning');
  });

  it('quotes header values that YAML 1.1 readers such as kubectl would turn into booleans', () => {
    const t = translate(`
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec: { service: web, rules: [{ matches: [{ headers: { x-flag: { exact: "on" } } }], destinations: [{ version: v2 }] }] }`);
    expect(manifestsToYaml(t.manifests)).toContain('exact: "on"');
  });
});

describe('Istio capability claims', () => {
  const inputs = [
    ...goldenCases(join(import.meta.dirname, '..', '..', 'src', 'istio', 'testdata')).map((c) => ({
      name: c.name,
      set: loadFiles([c.input]).set,
    })),
    { name: 'bookstore', set: loadBookstore().set },
  ];
  for (const { name, set } of inputs) {
    it(`never reports a feature it claims full as unsupported or approximated (${name})`, () => {
      const contradictions = istioAdapter
        .translate(set)
        .diagnostics.filter(
          (d) => (d.code === 'AM4001' || d.code === 'AM4002') && d.feature && istioAdapter.capabilities[d.feature].level === 'full',
        );
      expect(contradictions.map((d) => `${d.feature}: ${d.message}`)).toEqual([]);
    });
  }
});

describe('Istio reserved header names', () => {
  it('leaves out a match on a header Istio reserves (method) instead of silently widening it, and reports it', () => {
    const loaded = loadYaml(`${SERVICE}
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec: { service: web, rules: [{ matches: [{ headers: { method: { exact: PUT } } }], destinations: [{ version: v2 }] }] }`);
    const t = istioAdapter.translate(loaded.set);
    expect(http(t.manifests).map((h) => h.name)).toEqual(['default']);
    expect(t.diagnostics.find((d) => d.code === 'AM4001')?.path).toBe('spec.rules[0].matches[0].headers.method');
  });
});
