import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAccess, spiffeId, type AccessRequest } from '@anymesh/core';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { linkerdAllows, meshState } from './evaluators/index.js';
import { fidelityRuns } from './support/fidelity-budget.js';
import { countReported, newTally, recordFidelity } from './support/fidelity-report.js';
import { loadYaml } from './support/policy-cases.js';
import { expectApplicable, fidelityValidator } from './support/mesh-validation/index.js';

const SERVICES = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ port: 8080, protocol: http }, { port: 9090, protocol: http }]
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: client, namespace: shop }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 }, serviceAccount: client-v2 } }
`;

const sourceArb = fc.constantFrom(
  { service: 'client' },
  { service: 'client', version: 'v2' },
  { namespace: 'ops' },
  { identity: 'spiffe://cluster.local/ns/shop/sa/web' },
);
const ruleArb = fc.record(
  {
    action: fc.constantFrom('allow', 'allow', 'allow', 'deny'),
    from: fc.array(sourceArb, { minLength: 1, maxLength: 2 }),
    to: fc.record(
      {
        service: fc.constant('web'),
        ports: fc.constantFrom([8080], [9090]),
        methods: fc.constantFrom(['GET'], ['POST'], ['GET', 'POST']),
        paths: fc.array(fc.constantFrom('/a/*', '/a/b', '/a/b/*', '*', '/c', '/'), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: ['service'] },
    ),
  },
  { requiredKeys: ['action', 'to'] },
);

const td = 'cluster.local';
const requestArb: fc.Arbitrary<AccessRequest> = fc.record({
  identity: fc.constantFrom(
    spiffeId(td, 'shop', 'client'),
    spiffeId(td, 'shop', 'client-v2'),
    spiffeId(td, 'shop', 'web'),
    spiffeId(td, 'ops', 'robot'),
    undefined,
  ),
  namespace: fc.constant('shop'),
  service: fc.constant('web'),
  port: fc.constantFrom(8080, 9090),
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  path: fc.constantFrom('/', '/a', '/a/', '/a/b', '/a/b/', '/a/b/c', '/a/x', '/c', '/cx'),
});

describe('Linkerd access fidelity', () => {
  it('allows and denies random calls exactly as the neutral access semantics do, unless it reported a difference', () => {
    const runs = fidelityRuns('linkerd', 'access');
    const tally = newTally();
    const validate = fidelityValidator();
    fc.assert(
      fc.property(
        fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('allow', 'deny'),
        fc.constantFrom('strict', 'permissive'),
        fc.array(requestArb, { minLength: 1, maxLength: 10 }),
        (rules, defaultAccess, mode, requests) => {
          const mesh = {
            apiVersion: 'anymesh.io/v1alpha1',
            kind: 'Mesh',
            metadata: { name: 'm' },
            spec: { defaultAccess, mtls: { mode } },
          };
          const policy = {
            apiVersion: 'anymesh.io/v1alpha1',
            kind: 'AccessPolicy',
            metadata: { name: 'p', namespace: 'shop' },
            spec: { rules },
          };
          const loaded = loadYaml(`${SERVICES}\n---\n${JSON.stringify(mesh)}\n---\n${JSON.stringify(policy)}`, 'access.yaml');
          fc.pre(loaded.valid);
          tally.cases++;
          tally.requests += requests.length;
          const t = linkerdAdapter.translate(loaded.set);
          expectApplicable(t.manifests, validate, rules);
          const state = meshState(loaded.set, t.manifests, validate);
          const neutral = compileAccess(loaded.set);
          // Under strict mTLS no plaintext call reaches the access decision at all, in either model.
          const expected = (req: AccessRequest) => (mode === 'strict' && req.identity === undefined ? false : neutral(req).allowed);
          const gaps = t.diagnostics.filter((d) => d.feature?.startsWith('access.') && (d.code === 'AM4001' || d.code === 'AM4002'));
          if (gaps.length > 0) {
            countReported(tally, () => requests.some((req) => linkerdAllows(state, req, td) !== expected(req)));
            return;
          }
          for (const req of requests) {
            expect(linkerdAllows(state, req, td), JSON.stringify({ req, rules, defaultAccess, mode })).toBe(expected(req));
          }
          tally.equal++;
        },
      ),
      { numRuns: runs },
    );
    recordFidelity('linkerd', 'access', tally);
    expect(tally.cases).toBe(runs);
    expect(tally.equal).toBeGreaterThan(runs / 5);
  }, 180_000);
});
