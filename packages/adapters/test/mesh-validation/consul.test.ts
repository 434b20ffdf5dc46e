import { describe, expect, it } from 'vitest';
import type { ManifestLike } from '../support/crd-validator.js';
import { consulValidationErrors } from '../support/mesh-validation/consul.js';
import { goDurationNs } from '../support/mesh-validation/go-duration.js';

const entry = (kind: string, spec: object, name = 'web') => ({
  apiVersion: 'consul.hashicorp.com/v1alpha1',
  kind,
  metadata: { name, namespace: 'demo' },
  spec,
});
const router = (http: object, destination: object = { service: 'web' }) =>
  entry('ServiceRouter', { routes: [{ match: { http }, destination }] });

/** Each rule: a hand-written entry Consul accepts, and one it refuses with the expected message. */
const cases: { rule: string; valid: ManifestLike; invalid: ManifestLike; error: RegExp }[] = [
  {
    rule: 'router: at most one path matcher',
    valid: router({ pathPrefix: '/a' }),
    invalid: router({ pathPrefix: '/a', pathExact: '/a' }),
    error: /at most one of pathExact, pathPrefix, or pathRegex/,
  },
  {
    rule: 'router: paths start with /',
    valid: router({ pathExact: '/a' }),
    invalid: router({ pathExact: 'a' }),
    error: /pathExact doesn't start with '\/'/,
  },
  {
    rule: 'router: a header matcher has exactly one non-empty matcher',
    valid: router({ header: [{ name: 'x-user', exact: 'alice' }] }),
    invalid: router({ header: [{ name: 'x-user', exact: '' }] }),
    error: /header\[0\] should only contain one of present, exact, prefix, suffix, or regex/,
  },
  {
    rule: 'router: an inverted presence is a matcher',
    valid: router({ header: [{ name: 'x-user', present: true, invert: true }] }),
    invalid: router({ header: [{ name: 'x-user', invert: true }] }),
    error: /header\[0\] should only contain one of/,
  },
  {
    rule: 'router: a query matcher has exactly one non-empty matcher',
    valid: router({ queryParam: [{ name: 'q', exact: '1' }] }),
    invalid: router({ queryParam: [{ name: 'q', exact: '' }] }),
    error: /queryParam\[0\] should only contain one of present, exact, or regex/,
  },
  {
    rule: 'router: methods are valid and unique',
    valid: router({ methods: ['GET', 'POST'] }),
    invalid: router({ methods: ['GET', 'GET'] }),
    error: /contains "GET" more than once/,
  },
  {
    rule: 'router: prefixRewrite needs a path match',
    valid: router({ pathPrefix: '/a/' }, { prefixRewrite: '/b/' }),
    invalid: router({ pathRegex: '/a.*' }, { prefixRewrite: '/b/' }),
    error: /cannot make use of prefixRewrite/,
  },
  {
    rule: 'router: retry conditions are known',
    valid: router({}, { numRetries: 2, retryOn: ['5xx', 'reset'] }),
    invalid: router({}, { numRetries: 2, retryOn: ['5xx', 'sometimes'] }),
    error: /invalid retry condition: "sometimes"/,
  },
  {
    rule: 'router: a negative timeout is allowed on a route destination ("no timeout")',
    valid: router({}, { requestTimeout: '-1s' }),
    invalid: router({}, { requestTimeout: '1 second' }),
    error: /not a Go duration/,
  },
  {
    rule: 'splitter: weights sum to 100 in 0.01% units',
    valid: entry('ServiceSplitter', {
      splits: [
        { serviceSubset: 'v1', weight: 33.34 },
        { serviceSubset: 'v2', weight: 66.66 },
      ],
    }),
    invalid: entry('ServiceSplitter', {
      splits: [
        { serviceSubset: 'v1', weight: 33.33 },
        { serviceSubset: 'v2', weight: 66.66 },
      ],
    }),
    error: /sum of all split weights must be 100, not 99.99/,
  },
  {
    rule: 'splitter: a destination occurs once',
    valid: entry('ServiceSplitter', { splits: [{ weight: 50 }, { service: 'other', weight: 50 }] }),
    invalid: entry('ServiceSplitter', { splits: [{ weight: 50 }, { service: 'web', weight: 50 }] }),
    error: /split destination occurs more than once/,
  },
  {
    rule: 'resolver: requestTimeout must be >= 0 (the "no timeout" -1s is for routes only)',
    valid: entry('ServiceResolver', { requestTimeout: '0s', connectTimeout: '5s' }),
    invalid: entry('ServiceResolver', { requestTimeout: '-1s' }),
    error: /Bad requestTimeout '-1s', must be >= 0/,
  },
  {
    rule: 'resolver: subset names are DNS labels and the default subset exists',
    valid: entry('ServiceResolver', { defaultSubset: 'v1', subsets: { v1: { filter: 'Service.Meta.version == "v1"' } } }),
    invalid: entry('ServiceResolver', { defaultSubset: 'v2', subsets: { V_1: { filter: 'Service.Meta.version == "v1"' } } }),
    error: /subset "V_1" is invalid[\s\S]*defaultSubset "v2" is not a valid subset/,
  },
  {
    rule: 'resolver: hash policies only for hash-based load balancers, with a field value',
    valid: entry('ServiceResolver', { loadBalancer: { policy: 'ring_hash', hashPolicies: [{ field: 'header', fieldValue: 'x-user' }] } }),
    invalid: entry('ServiceResolver', { loadBalancer: { policy: 'round_robin', hashPolicies: [{ field: 'header' }] } }),
    error: /hashPolicies specified for non-hash-based policy "round_robin"/,
  },
  {
    rule: 'resolver: a hash policy names a field with a value, or hashes the source IP',
    valid: entry('ServiceResolver', { loadBalancer: { policy: 'maglev', hashPolicies: [{ sourceIP: true }] } }),
    invalid: entry('ServiceResolver', { loadBalancer: { policy: 'maglev', hashPolicies: [{ field: 'cookie' }] } }),
    error: /field "cookie" was specified without a fieldValue/,
  },
  {
    rule: 'intentions: a source without permissions needs an action',
    valid: entry('ServiceIntentions', { destination: { name: 'web' }, sources: [{ name: 'api', action: 'allow' }] }),
    invalid: entry('ServiceIntentions', { destination: { name: 'web' }, sources: [{ name: 'api' }] }),
    error: /sources\[0\]\.action must be set to 'allow' or 'deny'/,
  },
  {
    rule: 'intentions: action and permissions exclude each other',
    valid: entry('ServiceIntentions', {
      destination: { name: 'web' },
      sources: [{ name: 'api', permissions: [{ action: 'allow', http: { pathPrefix: '/a' } }] }],
    }),
    invalid: entry('ServiceIntentions', {
      destination: { name: 'web' },
      sources: [{ name: 'api', action: 'allow', permissions: [{ action: 'allow', http: { pathPrefix: '/a' } }] }],
    }),
    error: /action must be omitted if permissions are specified/,
  },
  {
    rule: 'intentions: a permission matches on something',
    valid: entry('ServiceIntentions', {
      destination: { name: 'web' },
      sources: [{ name: 'api', permissions: [{ action: 'deny', http: { methods: ['DELETE'] } }] }],
    }),
    invalid: entry('ServiceIntentions', {
      destination: { name: 'web' },
      sources: [{ name: 'api', permissions: [{ action: 'deny', http: {} }] }],
    }),
    error: /permissions\[0\]\.http should not be empty/,
  },
  {
    rule: 'intentions: each source once, wildcards whole',
    valid: entry('ServiceIntentions', { destination: { name: 'web' }, sources: [{ name: '*', namespace: '*', action: 'deny' }] }),
    invalid: entry('ServiceIntentions', {
      destination: { name: 'web' },
      sources: [
        { name: 'api', action: 'deny' },
        { name: 'api', namespace: 'demo', action: 'allow' },
        { name: 'api-*', action: 'deny' },
      ],
    }),
    error: /defines demo\/api more than once[\s\S]*wildcard character '\*' cannot be used with partial values/,
  },
  {
    rule: 'service defaults: ejection percentages are at most 100',
    valid: entry('ServiceDefaults', {
      protocol: 'http',
      upstreamConfig: { overrides: [{ name: 'db', passiveHealthCheck: { interval: '10s', maxFailures: 5, maxEjectionPercent: 100 } }] },
    }),
    invalid: entry('ServiceDefaults', {
      protocol: 'http',
      upstreamConfig: { overrides: [{ name: 'db', passiveHealthCheck: { interval: '10s', maxFailures: 5, maxEjectionPercent: 150 } }] },
    }),
    error: /maxEjectionPercent must be a percentage between 0 and 100/,
  },
  {
    rule: 'proxy defaults: only "global", with a known mode',
    valid: entry('ProxyDefaults', { mode: 'transparent', mutualTLSMode: 'strict' }, 'global'),
    invalid: entry('ProxyDefaults', { mode: 'sidecar' }, 'mesh'),
    error: /only "global" is supported[\s\S]*invalid proxy mode "sidecar"/,
  },
];

describe("Consul's own config-entry validation (model of hashicorp/consul Validate())", () => {
  for (const c of cases) {
    it(`${c.rule}: accepts the valid entry and refuses the invalid one`, () => {
      expect(consulValidationErrors(c.valid)).toEqual([]);
      expect(consulValidationErrors(c.invalid).join('\n')).toMatch(c.error);
    });
  }

  it('parses Go durations as Consul does, including negative and fractional ones', () => {
    expect(goDurationNs('-1s')).toBe(-1e9);
    expect(goDurationNs('1h30m')).toBe(5400e9);
    expect(goDurationNs('0.4ms')).toBeCloseTo(4e5);
    expect(goDurationNs('0')).toBe(0);
    expect(goDurationNs('1')).toBeUndefined();
    expect(goDurationNs('')).toBeUndefined();
  });
});
