import { describe, expect, it } from 'vitest';
import type { ManifestLike } from '../support/crd-validator.js';
import { istioValidationErrors } from '../support/mesh-validation/istio.js';

const vs = (http: object) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'web', namespace: 'demo' },
  spec: { hosts: ['web.demo.svc.cluster.local'], http: [http] },
});
const dest = (subset = 'v1', weight?: number) => ({
  destination: { host: 'web.demo.svc.cluster.local', subset },
  ...(weight === undefined ? {} : { weight }),
});
const dr = (spec: object) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'web' },
  spec: { host: 'web', ...spec },
});

const cases: { rule: string; valid: ManifestLike; invalid: ManifestLike; error: RegExp }[] = [
  {
    rule: 'a timeout is at least 1ms',
    valid: vs({ route: [dest()], timeout: '1ms' }),
    invalid: vs({ route: [dest()], timeout: '0.4ms' }),
    error: /timeout: duration must be greater than 1ms/,
  },
  {
    rule: 'a timeout is a whole number of milliseconds',
    valid: vs({ route: [dest()], timeout: '1.5s' }),
    invalid: vs({ route: [dest()], timeout: '1.5ms' }),
    error: /only durations to ms precision are supported/,
  },
  {
    rule: 'a route forwards or redirects, not both',
    valid: vs({ redirect: { uri: '/moved' } }),
    invalid: vs({ redirect: { uri: '/moved' }, route: [dest()] }),
    error: /cannot contain both route and redirect/,
  },
  {
    rule: 'a redirect does not rewrite',
    valid: vs({ redirect: { authority: 'elsewhere', redirectCode: 308 } }),
    invalid: vs({ redirect: { authority: 'elsewhere' }, rewrite: { uri: '/x' } }),
    error: /cannot contain both rewrite and redirect/,
  },
  {
    rule: 'a redirect code is 3xx',
    valid: vs({ redirect: { uri: '/x', redirectCode: 301 } }),
    invalid: vs({ redirect: { uri: '/x', redirectCode: 200 } }),
    error: /200 is not a valid redirect code/,
  },
  {
    rule: 'split weights are not all zero',
    valid: vs({ route: [dest('v1', 0), dest('v2', 100)] }),
    invalid: vs({ route: [dest('v1', 0), dest('v2', 0)] }),
    error: /total destination weight = 0/,
  },
  {
    rule: 'subset names are DNS labels',
    valid: vs({ route: [dest('v-1')] }),
    invalid: vs({ route: [dest('V_1')] }),
    error: /subset name is invalid: V_1/,
  },
  {
    rule: 'header match names are [-_A-Za-z0-9]+',
    valid: vs({ match: [{ headers: { 'x-user_id': { exact: 'a' } } }], route: [dest()] }),
    invalid: vs({ match: [{ headers: { 'x.user': { exact: 'a' } } }], route: [dest()] }),
    error: /header name x.user is not a valid header name/,
  },
  {
    rule: 'retries: no policy with zero attempts, known retryOn, ms durations',
    valid: vs({ route: [dest()], retries: { attempts: 2, perTryTimeout: '100ms', retryOn: '5xx,503,reset' } }),
    invalid: vs({ route: [dest()], retries: { attempts: 0, perTryTimeout: '100ms', retryOn: 'sometimes' } }),
    error: /configured when attempts are set to 0[\s\S]*"sometimes" is not a valid retryOn policy/,
  },
  {
    rule: 'fault: percentage in [0.0001, 100], delay at least 1ms',
    valid: vs({ route: [dest()], fault: { delay: { fixedDelay: '5ms', percentage: { value: 50 } } } }),
    invalid: vs({ route: [dest()], fault: { delay: { fixedDelay: '0.5ms', percentage: { value: 0.00001 } } } }),
    error: /percentage 0.00001 is neither[\s\S]*fixedDelay: duration must be greater than 1ms/,
  },
  {
    rule: 'header operations: no pseudo-headers, % escaped',
    valid: vs({ route: [dest()], headers: { request: { set: { 'x-share': '100%%', 'x-host': '%HOSTNAME%' } } } }),
    invalid: vs({ route: [dest()], headers: { request: { set: { ':path': '/x', 'x-share': '100%' } } } }),
    error: /invalid header ":path"[\s\S]*has an unescaped %/,
  },
  {
    rule: 'destination rule: unique DNS-label subsets, ms durations in the traffic policy',
    valid: dr({ subsets: [{ name: 'v1' }, { name: 'v2' }], trafficPolicy: { connectionPool: { tcp: { connectTimeout: '250ms' } } } }),
    invalid: dr({ subsets: [{ name: 'v1' }, { name: 'v1' }], trafficPolicy: { outlierDetection: { interval: '0.5ms' } } }),
    error: /duplicate subset names: v1[\s\S]*interval: duration must be greater than 1ms/,
  },
  {
    rule: 'authorization policy: no empty values',
    valid: {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'a' },
      spec: { rules: [{ to: [{ operation: { paths: ['/a'] } }] }] },
    },
    invalid: {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'a' },
      spec: { rules: [{ to: [{ operation: { paths: [''] } }] }] },
    },
    error: /operation.paths: empty value not allowed/,
  },
];

describe("Istio's own validation (model of istiod's webhook)", () => {
  for (const c of cases) {
    it(`${c.rule}: accepts the valid object and refuses the invalid one`, () => {
      expect(istioValidationErrors(c.valid)).toEqual([]);
      expect(istioValidationErrors(c.invalid).join('\n')).toMatch(c.error);
    });
  }
});
