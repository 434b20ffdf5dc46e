import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { rewriteHasMacros } from './support/cel/has-rewrite.js';
import { ruleProblem } from './support/cel/kubernetes-cel.js';
import { loadCrdIndex } from './support/crd-index.js';
import { CrdValidator, type ManifestLike } from './support/crd-validator.js';

function celRules(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) celRules(n, out);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-kubernetes-validations') for (const r of value as { rule: string }[]) out.add(r.rule);
      else celRules(value, out);
    }
  }
  return out;
}

const httpRoute = (rule: object) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'r', namespace: 'ns' },
  spec: { parentRefs: [{ name: 's', kind: 'Service', group: '' }], rules: [rule] },
});
const prefixRewrite = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } };

it('rewrites has() on an indexed value to a map presence test, and leaves plain selections and strings alone', () => {
  expect(rewriteHasMacros('!has(self.matches[0].path)')).toBe("!('path' in (self.matches[0]))");
  expect(rewriteHasMacros('has(self.a.b) && has(f.x)')).toBe('has(self.a.b) && has(f.x)');
  expect(rewriteHasMacros("self.x == 'has(a[0].b)'")).toBe("self.x == 'has(a[0].b)'");
  expect(rewriteHasMacros('has(self.m[has(self.k) ? 0 : 1].p)')).toBe("('p' in (self.m[has(self.k) ? 0 : 1]))");
});

describe('CEL rules of the upstream CRDs', () => {
  const validator = new CrdValidator();

  it('can evaluate every x-kubernetes-validations rule of every vendored CRD (none left unevaluated)', () => {
    const rules = new Set<string>();
    for (const crd of loadCrdIndex().values()) celRules(crd.schema, rules);
    const creates = [...rules].filter((r) => !/\boldSelf\b/.test(r));
    expect(creates.length).toBeGreaterThan(80);
    const problems = creates.flatMap((r) => {
      const problem = ruleProblem(r);
      return problem === undefined ? [] : [`${problem}: ${r}`];
    });
    expect(problems).toEqual([]);
  });

  it('evaluates every rule it meets in the goldens of every mesh (the unevaluated count is 0)', () => {
    let manifests = 0;
    for (const mesh of ['istio', 'linkerd', 'consul']) {
      const dir = join(import.meta.dirname, '..', 'src', mesh, 'testdata');
      for (const file of readdirSync(dir).filter((f) => f.endsWith(`.${mesh}.golden.yaml`))) {
        for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { version: '1.1' })) {
          validator.validate(doc.toJS() as ManifestLike);
          manifests++;
        }
      }
    }
    expect(manifests).toBeGreaterThan(100);
    expect([...validator.unevaluatedRules]).toEqual([]);
  });

  it('rejects a ReplacePrefixMatch rewrite on a rule with two path matches (a rule that uses has() on an index)', () => {
    const two = httpRoute({
      matches: [{ path: { type: 'PathPrefix', value: '/a' } }, { path: { type: 'PathPrefix', value: '/b' } }],
      filters: [prefixRewrite],
    });
    expect(validator.validate(two).join('\n')).toMatch(/ReplacePrefixMatch/);
    const one = httpRoute({ matches: [{ path: { type: 'PathPrefix', value: '/a' } }], filters: [prefixRewrite] });
    expect(validator.validate(one)).toEqual([]);
    expect(validator.unevaluatedRules.size).toBe(0);
  });

  it('rejects a JWT issuer URL that is not http(s) (a rule that uses the Kubernetes url() library)', () => {
    const requestAuthentication = (jwksUri: string) => ({
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: { name: 'jwt', namespace: 'ns' },
      spec: { jwtRules: [{ issuer: 'me', jwksUri }] },
    });
    expect(validator.validate(requestAuthentication('https://idp.example/keys'))).toEqual([]);
    expect(validator.validate(requestAuthentication('ftp://idp.example/keys')).join('\n')).toMatch(/url must have scheme/);
    expect(validator.unevaluatedRules.size).toBe(0);
  });
});
