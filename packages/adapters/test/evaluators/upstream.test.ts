import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/index.js';
import { applyState } from './applied-state.js';
import { consulObservability, consulUpstream } from './consul/upstream.js';
import { goDurationMs } from './duration.js';
import { WEB_CLUSTER } from './fixtures.js';
import { istioAudits } from './istio/access.js';
import { istioObservability, istioUpstream } from './istio/upstream.js';
import { linkerdObservability } from './linkerd/upstream.js';

const obj = (apiVersion: string, kind: string, name: string, namespace: string, spec: unknown): Manifest => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
  spec: spec as Record<string, unknown>,
});
const dr = (name: string, namespace: string, spec: unknown) => obj('networking.istio.io/v1', 'DestinationRule', name, namespace, spec);
const q = (version?: string) => ({
  caller: { namespace: 'shop', service: 'client' },
  namespace: 'shop',
  service: 'web',
  ...(version ? { version } : {}),
});
const SUBSETS = [
  { name: 'one', labels: { version: 'v1' } },
  { name: 'two', labels: { version: 'v2' }, trafficPolicy: { connectionPool: { http: { http2MaxRequests: 7 } } } },
];

describe('Go durations as Consul and istiod parse them', () => {
  it('reads units, fractions, sums and a sign, and refuses what Go refuses', () => {
    expect(goDurationMs('1m30s')).toBe(90_000);
    expect(goDurationMs('1.5s')).toBe(1_500);
    expect(goDurationMs('250ms')).toBe(250);
    expect(goDurationMs('-1s')).toBe(-1_000);
    expect(goDurationMs('0')).toBe(0);
    expect(() => goDurationMs('5')).toThrow(/not a duration/);
    expect(() => goDurationMs('')).toThrow(/not a duration/);
  });
});

describe('Istio upstream evaluator (hand-written DestinationRules)', () => {
  it('reads connection pool fields with their units, and nothing without a DestinationRule', () => {
    const rule = dr('anything', 'shop', {
      host: 'web',
      trafficPolicy: {
        connectionPool: {
          tcp: { connectTimeout: '2s', maxConnections: 10 },
          http: { http1MaxPendingRequests: 5, http2MaxRequests: 20, maxRequestsPerConnection: 3, idleTimeout: '5m' },
        },
      },
    });
    expect(istioUpstream(applyState([...WEB_CLUSTER, rule]), q())).toMatchObject({
      connectTimeoutMs: 2_000,
      idleTimeoutMs: 300_000,
      maxConnections: 10,
      maxPendingRequests: 5,
      maxRequests: 20,
      maxRequestsPerConnection: 3,
    });
    expect(istioUpstream(applyState([...WEB_CLUSTER]), q())).toEqual({});
  });

  it("prefers the caller's namespace's rule over the service namespace's, and finds a subset by the pods its labels pick", () => {
    const mine = dr('a', 'shop', {
      host: 'web.shop.svc.cluster.local',
      subsets: SUBSETS,
      trafficPolicy: { loadBalancer: { simple: 'RANDOM' } },
    });
    const root = dr('b', 'istio-system', {
      host: 'web.shop.svc.cluster.local',
      trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
    });
    const state = applyState([...WEB_CLUSTER, root, mine]);
    expect(istioUpstream(state, q()).loadBalancer).toEqual({ algorithm: 'random' });
    expect(istioUpstream(state, q('v2'))).toMatchObject({ maxRequests: 7, loadBalancer: { algorithm: 'random' } });
    expect(istioUpstream(state, q('v1')).maxRequests).toBeUndefined();
  });

  it('lets a subset replace a whole top-level group, not merge into it', () => {
    const rule = dr('a', 'shop', {
      host: 'web',
      subsets: SUBSETS,
      trafficPolicy: { connectionPool: { tcp: { connectTimeout: '1s' }, http: { http2MaxRequests: 99 } } },
    });
    const got = istioUpstream(applyState([...WEB_CLUSTER, rule]), q('v2'));
    expect(got.maxRequests).toBe(7);
    expect(got.connectTimeoutMs).toBeUndefined();
  });

  it('fills outlier detection with the documented defaults, and counts locality failover only with outlier detection', () => {
    const withOd = dr('a', 'shop', {
      host: 'web',
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 }, loadBalancer: { localityLbSetting: { enabled: true } } },
    });
    expect(istioUpstream(applyState([...WEB_CLUSTER, withOd]), q())).toMatchObject({
      outlier: { consecutive5xx: 3, intervalMs: 10_000, baseEjectionMs: 30_000, maxEjectionPercent: 10, enforcingPercent: 100 },
      localityFailover: true,
    });
    const withoutOd = dr('a', 'shop', { host: 'web', trafficPolicy: { loadBalancer: { localityLbSetting: { enabled: true } } } });
    expect(istioUpstream(applyState([...WEB_CLUSTER, withoutOd]), q()).localityFailover).toBe(false);
  });

  it('reads consistent hashing and a concurrency retry budget with Envoy defaults', () => {
    const rule = dr('a', 'shop', {
      host: 'web',
      trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } }, retryBudget: { percent: 25 } },
    });
    expect(istioUpstream(applyState([...WEB_CLUSTER, rule]), q())).toMatchObject({
      loadBalancer: { algorithm: 'consistent-hash', header: 'x-user' },
      retryBudget: { kind: 'concurrency', percent: 25, minConcurrency: 3 },
    });
  });
});

describe('Consul upstream evaluator (hand-written config entries)', () => {
  const CONSUL = 'consul.hashicorp.com/v1alpha1';
  it("reads limits and passive health checks from the caller's override, over its defaults, with Envoy's defaults for the rest", () => {
    const sd = obj(CONSUL, 'ServiceDefaults', 'client', 'shop', {
      upstreamConfig: {
        defaults: { limits: { maxConnections: 1 }, passiveHealthCheck: { maxFailures: 9 } },
        overrides: [
          {
            name: 'web',
            limits: { maxConnections: 10, maxConcurrentRequests: 20 },
            passiveHealthCheck: { interval: '5s', maxFailures: 3 },
          },
        ],
      },
    });
    const got = consulUpstream(applyState([...WEB_CLUSTER, sd]), q());
    expect(got).toMatchObject({
      maxConnections: 10,
      maxRequests: 20,
      outlier: { consecutive5xx: 3, intervalMs: 5_000, baseEjectionMs: 30_000, maxEjectionPercent: 10, enforcingPercent: 100 },
    });
    expect(got.maxPendingRequests).toBeUndefined();
  });

  it("ignores another service's ServiceDefaults (limits are the caller's)", () => {
    const sd = obj(CONSUL, 'ServiceDefaults', 'web', 'shop', {
      upstreamConfig: { overrides: [{ name: 'web', limits: { maxConnections: 10 } }] },
    });
    expect(consulUpstream(applyState([...WEB_CLUSTER, sd]), q()).maxConnections).toBeUndefined();
  });

  it('reads connect timeout, balancing and locality from the resolver, the same for every version', () => {
    const resolver = obj(CONSUL, 'ServiceResolver', 'web', 'shop', {
      connectTimeout: '2s',
      loadBalancer: { policy: 'ring_hash', hashPolicies: [{ field: 'header', fieldValue: 'x-user' }] },
      prioritizeByLocality: { mode: 'failover' },
    });
    const want = { connectTimeoutMs: 2_000, loadBalancer: { algorithm: 'consistent-hash', header: 'x-user' }, localityFailover: true };
    expect(consulUpstream(applyState([...WEB_CLUSTER, resolver]), q())).toMatchObject(want);
    expect(consulUpstream(applyState([...WEB_CLUSTER, resolver]), q('v2'))).toMatchObject(want);
  });
});

describe('observability evaluators (hand-written mesh-wide objects)', () => {
  it("Istio: the root namespace's Telemetry gives sampling and the envoy provider's text logs; none: logs off, metrics on", () => {
    const t = obj('telemetry.istio.io/v1', 'Telemetry', 'x', 'istio-system', {
      tracing: [{ randomSamplingPercentage: 25 }],
      accessLogging: [{ providers: [{ name: 'envoy' }] }],
    });
    expect(istioObservability(applyState([t]))).toEqual({
      metrics: true,
      tracingSamplingPercent: 25,
      accessLogs: { enabled: true, format: 'text' },
    });
    expect(istioObservability(applyState([]))).toEqual({
      metrics: true,
      tracingSamplingPercent: undefined,
      accessLogs: { enabled: false },
    });
    const elsewhere = { ...t, metadata: { name: 'x', namespace: 'shop' } };
    expect(istioObservability(applyState([elsewhere])).tracingSamplingPercent).toBeUndefined();
    const off = obj('telemetry.istio.io/v1', 'Telemetry', 'x', 'istio-system', { metrics: [{ overrides: [{ disabled: true }] }] });
    expect(istioObservability(applyState([off])).metrics).toBe(false);
  });

  it("Consul: the global ProxyDefaults' Prometheus address, Envoy's random_sampling percentage and the log format", () => {
    const pd = obj('consul.hashicorp.com/v1alpha1', 'ProxyDefaults', 'global', 'default', {
      config: { envoy_prometheus_bind_addr: '0.0.0.0:20200', envoy_listener_tracing_json: '{"random_sampling":{"value":25}}' },
      accessLogs: { enabled: true, jsonFormat: '{}' },
    });
    expect(consulObservability(applyState([pd]))).toEqual({
      metrics: true,
      tracingSamplingPercent: 25,
      accessLogs: { enabled: true, format: 'json' },
    });
    expect(consulObservability(applyState([]))).toEqual({
      metrics: false,
      tracingSamplingPercent: undefined,
      accessLogs: { enabled: false },
    });
    const bare = obj('consul.hashicorp.com/v1alpha1', 'ProxyDefaults', 'global', 'default', { accessLogs: { enabled: true } });
    expect(consulObservability(applyState([bare])).accessLogs).toEqual({ enabled: true, format: 'json' });
  });

  it("Linkerd: metrics always, no sampling rate, access logs from the namespace's annotation", () => {
    const ns: Manifest = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', annotations: { 'config.linkerd.io/access-log': 'apache' } },
    };
    expect(linkerdObservability(applyState([...WEB_CLUSTER, ns]), 'shop', 'web')).toEqual({
      metrics: true,
      accessLogs: { enabled: true, format: 'text' },
    });
    expect(linkerdObservability(applyState([...WEB_CLUSTER]), 'shop', 'web').accessLogs).toEqual({ enabled: false });
  });
});

describe('Istio audit evaluator', () => {
  it('marks exactly the calls an AUDIT policy on the pods matches', () => {
    const audit = obj('security.istio.io/v1', 'AuthorizationPolicy', 'a', 'shop', {
      selector: { matchLabels: { app: 'web' } },
      action: 'AUDIT',
      rules: [{ to: [{ operation: { paths: ['/admin/*'] } }] }],
    });
    const call = (path: string) => ({ identity: undefined, namespace: 'shop', service: 'web', port: 8080, method: 'GET', path });
    const state = applyState([...WEB_CLUSTER, audit]);
    expect(istioAudits(state, call('/admin/x'))).toBe(true);
    expect(istioAudits(state, call('/admin'))).toBe(false);
    expect(istioAudits(applyState([...WEB_CLUSTER]), call('/admin/x'))).toBe(false);
  });
});
