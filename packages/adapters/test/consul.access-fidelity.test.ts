import { compileAccess, findService, loadTexts, serviceAccountOf, spiffeId, type AccessRule, type PolicySet } from '@anymesh/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translateConsul } from '../src/consul/index.js';
import { applyState, evaluateConsulIntentions } from './evaluators/index.js';
import { fidelityRuns } from './support/fidelity-budget.js';
import { newTally, recordFidelity } from './support/fidelity-report.js';
import { expectApplicable, fidelityValidator } from './support/mesh-validation/index.js';

const SERVICES = ['web', 'admin', 'batch', 'api']
  .map(
    (name) =>
      `apiVersion: anymesh.io/v1alpha1\nkind: Service\nmetadata: { name: ${name}, namespace: demo }\nspec: { ports: [{ port: 9080 }] }\n`,
  )
  .concat([
    `apiVersion: anymesh.io/v1alpha1\nkind: Service\nmetadata: { name: reviews, namespace: demo }\nspec:\n  ports: [{ port: 9080 }]\n  versions:\n    v1: { labels: { version: v1 }, serviceAccount: reviews-v1 }\n    v2: { labels: { version: v2 }, serviceAccount: reviews-v2 }\n`,
  ])
  .join('---\n');

const CALLERS = [
  { service: 'web' },
  { service: 'admin' },
  { service: 'batch' },
  { service: 'reviews', version: 'v1' },
  { service: 'reviews', version: 'v2' },
] as const;

const source = fc.constantFrom<NonNullable<AccessRule['from']>[number]>(
  { service: 'web' },
  { service: 'admin' },
  { namespace: 'demo' },
  { service: 'reviews', version: 'v1' },
  { service: 'reviews', version: 'v2' },
  { identity: 'spiffe://cluster.local/ns/demo/sa/batch' },
);
const accessRule: fc.Arbitrary<AccessRule> = fc
  .record({
    action: fc.constantFrom('allow' as const, 'deny' as const),
    from: fc.option(fc.array(source, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    methods: fc.option(fc.subarray(['GET', 'POST', 'DELETE'] as const, { minLength: 1 }), { nil: undefined }),
    paths: fc.option(fc.subarray(['/a', '/a/*', '/b*', '*'], { minLength: 1 }), { nil: undefined }),
  })
  .map(({ action, from, methods, paths }) => ({
    action,
    ...(from ? { from: from as AccessRule['from'] } : {}),
    to: { service: 'api', ...(methods ? { methods: [...methods] } : {}), ...(paths ? { paths: [...paths] } : {}) },
  }));
const call = fc.record({
  caller: fc.constantFrom(...CALLERS),
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  path: fc.constantFrom('/', '/a', '/a/', '/a/x', '/b', '/bc', '/c'),
});

function load(rules: AccessRule[], defaultAccess: 'allow' | 'deny'): PolicySet | undefined {
  const mesh = { apiVersion: 'anymesh.io/v1alpha1', kind: 'Mesh', metadata: { name: 'm' }, spec: { defaultAccess } };
  const policy = { apiVersion: 'anymesh.io/v1alpha1', kind: 'AccessPolicy', metadata: { name: 'p', namespace: 'demo' }, spec: { rules } };
  const result = loadTexts([{ file: 'gen.yaml', text: `${SERVICES}---\n${JSON.stringify(mesh)}\n---\n${JSON.stringify(policy)}\n` }]);
  return result.valid ? result.set : undefined;
}

const setup = fc.tuple(fc.array(accessRule, { minLength: 1, maxLength: 5 }), fc.constantFrom('allow' as const, 'deny' as const));

/** Property runs are CPU-bound and test files run in parallel: allow for a loaded machine. */
const PROPERTY_TIMEOUT_MS = 120_000;

describe('Consul intentions fidelity', () => {
  it(
    'authorizes exactly as the neutral model (deny wins, else allow, else default) whatever the ACL default policy, when no version-only source is involved',
    () => {
      const runs = fidelityRuns('consul', 'access-exact');
      const tally = newTally();
      const validate = fidelityValidator();
      fc.assert(
        fc.property(
          setup,
          fc.array(call, { minLength: 1, maxLength: 10 }),
          fc.constantFrom('allow' as const, 'deny' as const),
          ([rules, defaultAccess], calls, aclDefault) => {
            const exact = rules.filter((r) => !(r.from ?? []).some((s) => 'version' in s));
            fc.pre(exact.length > 0);
            const set = load(exact, defaultAccess);
            fc.pre(set !== undefined);
            tally.cases++;
            tally.requests += calls.length;
            const manifests = translateConsul(set!).manifests;
            expectApplicable(manifests, validate, exact);
            const neutral = compileAccess(set!);
            for (const c of calls) {
              const svc = findService(set!, 'demo', c.caller.service)!;
              const version = 'version' in c.caller ? c.caller.version : undefined;
              const identity = spiffeId('cluster.local', 'demo', serviceAccountOf(svc, version));
              const want = neutral({ identity, namespace: 'demo', service: 'api', port: 9080, method: c.method, path: c.path }).allowed;
              const consulCall = {
                sourceService: c.caller.service,
                sourceNamespace: 'demo',
                namespace: 'demo',
                service: 'api',
                method: c.method,
                path: c.path,
              };
              expect(
                evaluateConsulIntentions(applyState(manifests), consulCall, aclDefault),
                JSON.stringify({ exact, defaultAccess, c }),
              ).toBe(want);
            }
            tally.equal++;
          },
        ),
        { numRuns: runs },
      );
      recordFidelity('consul', 'access-exact', tally);
      expect(tally.cases).toBe(runs);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'fails closed where it cannot be exact: never allows what the neutral model denies, and reports every difference',
    () => {
      const runs = fidelityRuns('consul', 'access-fail-closed');
      const tally = newTally();
      const validate = fidelityValidator();
      fc.assert(
        fc.property(setup, fc.array(call, { minLength: 1, maxLength: 10 }), ([rules, defaultAccess], calls) => {
          const set = load(rules, defaultAccess);
          fc.pre(set !== undefined);
          tally.cases++;
          tally.requests += calls.length;
          let differs = false;
          const out = translateConsul(set!);
          expectApplicable(out.manifests, validate, rules);
          const neutral = compileAccess(set!);
          const reported = out.diagnostics.some((d) => d.code === 'AM4001' && d.feature === 'access.sourceVersion');
          for (const c of calls) {
            const svc = findService(set!, 'demo', c.caller.service)!;
            const version = 'version' in c.caller ? c.caller.version : undefined;
            const identity = spiffeId('cluster.local', 'demo', serviceAccountOf(svc, version));
            const want = neutral({ identity, namespace: 'demo', service: 'api', port: 9080, method: c.method, path: c.path }).allowed;
            const consulCall = {
              sourceService: c.caller.service,
              sourceNamespace: 'demo',
              namespace: 'demo',
              service: 'api',
              method: c.method,
              path: c.path,
            };
            const got = evaluateConsulIntentions(applyState(out.manifests), consulCall, 'allow');
            if (got !== want) {
              expect(got, 'Consul allowed a call the neutral model denies').toBe(false);
              expect(reported, 'a different decision without a diagnostic').toBe(true);
              differs = true;
            }
          }
          if (differs) tally.reportedDiffering++;
          else if (reported) tally.reportedSame++;
          else tally.equal++;
        }),
        { numRuns: runs },
      );
      recordFidelity('consul', 'access-fail-closed', tally);
      expect(tally.cases).toBe(runs);
      // The property met the version sources it is about, and the difference they make.
      expect(tally.reportedDiffering).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT_MS,
  );
});
