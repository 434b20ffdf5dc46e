import fc from 'fast-check';
import { expect } from 'vitest';
import { compileAccess, type AccessRequest } from '@anymesh/core';
import type { Adapter, Manifest } from '../../src/index.js';
import { meshState, type AccessEvaluator } from '../evaluators/index.js';
import { countReported, newTally, type FidelityTally } from './fidelity-report.js';
import { loadYaml } from './policy-cases.js';
import { expectApplicable, fidelityValidator } from './mesh-validation/index.js';

/**
 * Access fidelity: random access policies, default postures and calls; core's compileAccess (deny
 * wins, then allow, then Mesh.defaultAccess) must agree with the adapter's evaluator of its own
 * output, unless the adapter reported a gap (audit, which never decides, does not count).
 * `web` v2 and v3 share a service account on purpose, `client` is one identity, `ext` lives in
 * another namespace.
 */
const SERVICES = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: acc }
spec:
  ports: [{ port: 8080 }]
  versions: { v1: { labels: { version: v1 }, serviceAccount: web-v1 }, v2: { labels: { version: v2 } }, v3: { labels: { version: v3 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: client, namespace: acc }
spec:
  ports: [{ port: 8080 }]
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ext, namespace: other }
spec:
  ports: [{ port: 8080 }]
`;

const sourceArb = fc.constantFrom(
  { service: 'client' },
  { service: 'web', version: 'v1' },
  { service: 'web', version: 'v2' },
  { namespace: 'other' },
  { namespace: 'other', service: 'ext' },
  { identity: 'spiffe://cluster.local/ns/acc/sa/client' },
  // Unusual but valid SPIFFE characters; the requests below carry near-miss siblings of them.
  { identity: 'spiffe://cluster.local/ns/acc/sa/client.v2' },
  { identity: 'spiffe://cluster.local/ns/acc/sa/batch_job-1' },
);

const ruleArb = fc.record(
  {
    action: fc.constantFrom('allow', 'deny'),
    from: fc.uniqueArray(sourceArb, { minLength: 1, maxLength: 2, selector: (s) => JSON.stringify(s) }),
    to: fc.record(
      {
        service: fc.constantFrom('web', 'client'),
        ports: fc.constant([8080]),
        methods: fc.uniqueArray(fc.constantFrom('GET', 'POST'), { minLength: 1, maxLength: 2 }),
        paths: fc.uniqueArray(fc.constantFrom('/a/*', '/b', '*'), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: ['service'] },
    ),
  },
  { requiredKeys: ['action', 'to'] },
);

const requestArb: fc.Arbitrary<AccessRequest> = fc.record({
  identity: fc.constantFrom(
    'spiffe://cluster.local/ns/acc/sa/client',
    'spiffe://cluster.local/ns/acc/sa/web-v1',
    'spiffe://cluster.local/ns/acc/sa/web',
    'spiffe://cluster.local/ns/other/sa/ext',
    'spiffe://cluster.local/ns/other/sa/batch',
    'spiffe://cluster.local/ns/acc/sa/client.v2',
    'spiffe://cluster.local/ns/acc/sa/client.v2x',
    'spiffe://cluster.local/ns/acc/sa/clientxv2',
    'spiffe://cluster.local/ns/acc/sa/batch_job-1',
    'spiffe://cluster.local/ns/acc/sa/batch_job-10',
    'spiffe://cluster.local/ns/acc/sa/xbatch_job-1',
    undefined,
  ),
  namespace: fc.constant('acc'),
  service: fc.constantFrom('web', 'client'),
  port: fc.constantFrom(8080, 9090),
  method: fc.constantFrom('GET', 'POST'),
  path: fc.constantFrom('/a/x', '/a', '/b', '/c'),
});

/** A tally for the fidelity report, plus the two counts tests assert on. */
export interface AccessFidelityStats extends FidelityTally {
  /** Policy sets compared call by call (nothing reported). */
  compared: number;
  /** Policy sets the adapter reported as unsupported or approximated. */
  reported: number;
}

export function checkAccessFidelity(
  adapter: Adapter,
  evaluate: AccessEvaluator,
  numRuns = 300,
  /** Checks every translated manifest as the mesh would (see mesh-validation/index.ts fidelityValidator). */
  validate: (m: Manifest) => string[] = fidelityValidator(),
): AccessFidelityStats {
  const stats: AccessFidelityStats = { ...newTally(), compared: 0, reported: 0 };
  const policyArb = fc.record({
    defaultAccess: fc.constantFrom('allow', 'deny'),
    enforced: fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
    audit: fc.option(fc.array(ruleArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  });
  fc.assert(
    fc.property(policyArb, fc.array(requestArb, { minLength: 1, maxLength: 10 }), (p, requests) => {
      const docs = [
        { apiVersion: 'anymesh.io/v1alpha1', kind: 'Mesh', metadata: { name: 'mesh' }, spec: { defaultAccess: p.defaultAccess } },
        {
          apiVersion: 'anymesh.io/v1alpha1',
          kind: 'AccessPolicy',
          metadata: { name: 'enforced', namespace: 'acc' },
          spec: { rules: p.enforced },
        },
        ...(p.audit
          ? [
              {
                apiVersion: 'anymesh.io/v1alpha1',
                kind: 'AccessPolicy',
                metadata: { name: 'audit', namespace: 'acc' },
                spec: { mode: 'audit', rules: p.audit },
              },
            ]
          : []),
      ];
      const loaded = loadYaml(`${SERVICES}\n---\n${docs.map((d) => JSON.stringify(d)).join('\n---\n')}`, 'access.yaml');
      fc.pre(loaded.valid);
      stats.cases++;
      stats.requests += requests.length;
      const t = adapter.translate(loaded.set);
      expectApplicable(t.manifests, validate, p);
      const neutral = compileAccess(loaded.set);
      const state = meshState(loaded.set, t.manifests, validate);
      const mesh = (req: AccessRequest) => evaluate(state, req);
      const gaps = t.diagnostics.filter((d) => (d.code === 'AM4001' || d.code === 'AM4002') && d.feature !== 'access.audit');
      if (gaps.length > 0) {
        stats.reported++;
        countReported(stats, () => requests.some((req) => mesh(req) !== neutral(req).allowed));
        return;
      }
      for (const req of requests) {
        const [got, want] = [mesh(req), neutral(req).allowed];
        if (got !== want) expect(got, JSON.stringify({ req, policies: p })).toBe(want);
      }
      stats.compared++;
      stats.equal++;
    }),
    { numRuns },
  );
  return stats;
}
