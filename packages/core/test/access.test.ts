import { describe, expect, it } from 'vitest';
import { compileAccess, loadTexts, type AccessRequest } from '../src/index.js';

const SERVICES = ['frontend', 'payments', 'checkout']
  .map(
    (s) => `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ${s}, namespace: shop }
spec: { ports: [{ port: 9080 }] }
---
`,
  )
  .join('');
const REVIEWS = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080 }]
  versions:
    v1: { labels: { version: v1 } }
    v2: { labels: { version: v2 }, serviceAccount: reviews-v2 }
---
`;

function decide(defaultAccess: 'allow' | 'deny', rules: string) {
  const text = `${SERVICES}${REVIEWS}apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: m }
spec: { defaultAccess: ${defaultAccess} }
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: p, namespace: shop }
spec:
  rules:
${rules}`;
  const result = loadTexts([{ file: 'a.yaml', text }]);
  expect(result.diagnostics).toEqual([]);
  return compileAccess(result.set);
}

const id = (sa: string) => `spiffe://cluster.local/ns/shop/sa/${sa}`;
const call = (identity: string | undefined, service: string, method = 'GET', path = '/'): AccessRequest => ({
  identity,
  namespace: 'shop',
  service,
  port: 9080,
  method,
  path,
});

describe('neutral access semantics', () => {
  it('denies what no rule allows when the mesh default is deny, and names the rule that allowed', () => {
    const d = decide(
      'deny',
      `    - { name: fe-pay, action: allow, from: [{ service: checkout }], to: { service: payments, methods: [POST] } }\n`,
    );
    expect(d(call(id('checkout'), 'payments', 'POST')).allowed).toBe(true);
    expect(d(call(id('checkout'), 'payments', 'POST')).rule?.name).toBe('fe-pay');
    expect(d(call(id('checkout'), 'payments', 'GET')).allowed).toBe(false);
    expect(d(call(id('frontend'), 'payments', 'POST')).allowed).toBe(false);
    expect(d(call(undefined, 'payments', 'POST')).allowed).toBe(false);
  });

  it('lets a matching deny win over a matching allow, in any order', () => {
    const d = decide(
      'allow',
      `    - { action: allow, from: [{ namespace: shop }], to: { service: payments } }
    - { name: no-frontend, action: deny, from: [{ service: frontend }], to: { service: payments } }
`,
    );
    expect(d(call(id('frontend'), 'payments')).rule?.name).toBe('no-frontend');
    expect(d(call(id('frontend'), 'payments')).allowed).toBe(false);
    expect(d(call(id('checkout'), 'payments')).allowed).toBe(true);
  });

  it('resolves a source version to that version’s service account', () => {
    const d = decide('deny', `    - { action: allow, from: [{ service: reviews, version: v2 }], to: { service: payments } }\n`);
    expect(d(call(id('reviews-v2'), 'payments')).allowed).toBe(true);
    expect(d(call(id('reviews'), 'payments')).allowed).toBe(false);
  });

  it('matches access paths exactly or by a trailing-star prefix', () => {
    const d = decide('deny', `    - { action: allow, to: { service: reviews, paths: ["/reviews/*", /healthz] } }\n`);
    expect(d(call(id('x'), 'reviews', 'GET', '/reviews/1')).allowed).toBe(true);
    expect(d(call(id('x'), 'reviews', 'GET', '/reviews')).allowed).toBe(false);
    expect(d(call(id('x'), 'reviews', 'GET', '/healthz')).allowed).toBe(true);
    expect(d(call(id('x'), 'reviews', 'GET', '/healthz/x')).allowed).toBe(false);
  });

  it('reports what an audit-mode policy would deny without denying it', () => {
    const text = `${SERVICES}${REVIEWS}apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: audit, namespace: shop }
spec:
  mode: audit
  rules: [{ name: no-deletes, action: deny, to: { service: payments, methods: [DELETE] } }]
`;
    const d = compileAccess(loadTexts([{ file: 'a.yaml', text }]).set);
    const decision = d(call(id('checkout'), 'payments', 'DELETE'));
    expect(decision.allowed).toBe(true);
    expect(decision.audit).toEqual({ wouldAllow: false, rule: expect.objectContaining({ name: 'no-deletes' }) });
    expect(d(call(id('checkout'), 'payments', 'GET')).audit).toBeUndefined();
  });
});
