import { describe, expect, it } from 'vitest';
import { CrdValidator, type ManifestLike } from '../support/crd-validator.js';

/**
 * Gateway API has no validating webhook since v1.0: its rules are the CRD's schema and CEL rules,
 * which the CRD validator evaluates in full. A valid and an invalid hand-written HTTPRoute per rule.
 */
const route = (rule: object) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: 'demo' },
  spec: { parentRefs: [{ name: 'web', kind: 'Service', group: '', port: 8080 }], rules: [rule] },
});
const backend = { name: 'web-v1', port: 8080 };
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });
const redirect = { type: 'RequestRedirect', requestRedirect: { hostname: 'elsewhere', statusCode: 301 } };
const rewritePrefix = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } };

const cases: { rule: string; valid: ManifestLike; invalid: ManifestLike; error: RegExp }[] = [
  {
    rule: 'a redirect has no backendRefs',
    valid: route({ filters: [redirect] }),
    invalid: route({ filters: [redirect], backendRefs: [backend] }),
    error: /RequestRedirect filter must not be used together with backendRefs/,
  },
  {
    rule: 'ReplacePrefixMatch needs exactly one PathPrefix match',
    valid: route({ matches: [prefix('/a')], filters: [rewritePrefix], backendRefs: [backend] }),
    invalid: route({ matches: [prefix('/a'), prefix('/b')], filters: [rewritePrefix], backendRefs: [backend] }),
    error: /exactly one PathPrefix match/,
  },
  {
    rule: 'a path has no empty segment',
    valid: route({ matches: [prefix('/a/b')], backendRefs: [backend] }),
    invalid: route({ matches: [prefix('/a//b')], backendRefs: [backend] }),
    error: /must not contain '\/\/'/,
  },
  {
    rule: 'the backend request timeout is not longer than the request timeout',
    valid: route({ timeouts: { request: '2s', backendRequest: '1s' }, backendRefs: [backend] }),
    invalid: route({ timeouts: { request: '1s', backendRequest: '2s' }, backendRefs: [backend] }),
    error: /backendRequest timeout cannot be longer than request timeout/,
  },
  {
    rule: 'a Service backend names its port',
    valid: route({ backendRefs: [backend] }),
    invalid: route({ backendRefs: [{ name: 'web-v1' }] }),
    error: /Must have port for Service reference/,
  },
  {
    rule: 'a header modifier value is not empty, and the filter is not repeated',
    valid: route({
      filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: 'v' }] } }],
      backendRefs: [backend],
    }),
    invalid: route({
      filters: [
        { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: '' }] } },
        { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['x-b'] } },
      ],
      backendRefs: [backend],
    }),
    error: /value: must NOT have fewer than 1 characters[\s\S]*RequestHeaderModifier filter cannot be repeated/,
  },
];

describe('Gateway API validation (CRD schema and CEL rules)', () => {
  const validator = new CrdValidator();
  for (const c of cases) {
    it(`${c.rule}: accepts the valid route and refuses the invalid one`, () => {
      expect(validator.validate(c.valid)).toEqual([]);
      expect(validator.validate(c.invalid).join('\n')).toMatch(c.error);
      expect(validator.unevaluatedRules.size).toBe(0);
    });
  }
});
