import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { HeaderMatch, PathMatch, QueryMatch, RequestView, RouteMatch, RouteRule } from '@anymesh/core';
import type { Adapter, Manifest } from '../../src/index.js';
import { meshState, type RouteEvaluator } from '../evaluators/index.js';
import { canonicalDecision, neutralDecision } from './neutral-decision.js';
import { countReported, newTally, type FidelityTally } from './fidelity-report.js';
import { loadYaml } from './policy-cases.js';
import { edgeHeaderMatchArb, edgeQueryMatchArb, edgeRuleFieldsArb } from './fidelity-edge-values.js';
import { expectApplicable, fidelityValidator } from './mesh-validation/index.js';

/**
 * Translation fidelity (DESIGN.md): random routes and requests; the neutral decision (core's route
 * table and selection, rewrite and redirect) must equal the adapter's evaluator's decision on the
 * translated config, unless the adapter reported the route as unsupported or approximated.
 * Small alphabets on purpose: overlapping prefixes, case variants and shared headers are where
 * precedence and segment semantics go wrong.
 */
const SERVICES = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: fid }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } }, v3: { labels: { version: v3 } } }
`;

const segment = fc.constantFrom('a', 'b', 'ab', 'A');
const pathArb = fc
  .tuple(fc.array(segment, { maxLength: 3 }), fc.boolean())
  .map(([segs, slash]) => `/${segs.join('/')}${slash && segs.length ? '/' : ''}`);

const pathMatchArb: fc.Arbitrary<PathMatch> = fc.oneof(
  pathArb.map((exact) => ({ exact })),
  fc.tuple(pathArb, fc.boolean()).map(([prefix, ignoreCase]) => (ignoreCase ? { prefix, ignoreCase } : { prefix })),
  fc.tuple(pathArb, fc.boolean()).map(([exact, ignoreCase]) => (ignoreCase ? { exact, ignoreCase } : { exact })),
  fc.constantFrom('/a/[a-z]+', '/(a|b)/.*', '/a.*', '/[ab]+').map((regex) => ({ regex })),
);

const headerMatchArb: fc.Arbitrary<HeaderMatch> = fc.oneof(
  fc.constantFrom('1', '2').map((exact) => ({ exact })),
  fc.constant({ prefix: '1' }),
  fc.constant({ regex: '[0-9]+' }),
  fc.constant({ present: true as const }),
  fc.constant({ absent: true as const }),
  edgeHeaderMatchArb,
);
const queryMatchArb: fc.Arbitrary<QueryMatch> = fc.oneof(
  fc.constant({ exact: '1' }),
  fc.constant({ regex: '[0-9]' }),
  fc.constant({ present: true as const }),
  edgeQueryMatchArb,
);

const matchArb: fc.Arbitrary<RouteMatch> = fc.record(
  {
    path: pathMatchArb,
    headers: fc.dictionary(fc.constantFrom('x-a', 'X-B'), headerMatchArb, { maxKeys: 2 }),
    queryParams: fc.dictionary(fc.constant('q'), queryMatchArb, { maxKeys: 1 }),
    method: fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
  },
  { requiredKeys: [] },
);

const destinationsArb = fc
  .array(fc.record({ version: fc.constantFrom('v1', 'v2', 'v3'), weight: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 3 })
  .filter((ds) => ds.some((d) => d.weight > 0) && new Set(ds.map((d) => d.version)).size === ds.length)
  .map((ds) => ds as RouteRule['destinations'] & object);

const actionArb: fc.Arbitrary<Partial<RouteRule>> = fc.oneof(
  { weight: 4, arbitrary: fc.option(destinationsArb, { nil: undefined }).map((destinations) => (destinations ? { destinations } : {})) },
  { weight: 1, arbitrary: fc.constantFrom('/', '/x', '/x/y/').map((pathPrefix) => ({ rewrite: { pathPrefix } })) },
  { weight: 1, arbitrary: fc.constantFrom('/full', '/').map((fullPath) => ({ rewrite: { fullPath, host: 'h.example' } })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ pathPrefix: fc.constantFrom('/r', '/', '/r/'), statusCode: fc.constantFrom(301, 307) }, { requiredKeys: ['pathPrefix'] })
      .map((redirect) => ({ redirect })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record(
        {
          path: fc.constant('/moved'),
          host: fc.constant('elsewhere'),
          scheme: fc.constantFrom('http' as const, 'https' as const),
          port: fc.constantFrom(80, 443, 8443),
        },
        { requiredKeys: [] },
      )
      .filter((r) => Object.keys(r).length > 0)
      .map((redirect) => ({ redirect })),
  },
);

export const ruleArb: fc.Arbitrary<RouteRule> = fc
  .tuple(
    fc.option(fc.array(matchArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    actionArb,
    fc.option(edgeRuleFieldsArb, { nil: undefined, freq: 3 }),
  )
  .map(([matches, action, edge]) => ({
    ...(matches ? { matches } : {}),
    ...action,
    // Timeouts and header modifiers belong to forwarding rules; a redirect has neither.
    ...(edge && !action.redirect ? edge : {}),
  }));

export const requestArb: fc.Arbitrary<RequestView> = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  path: pathArb,
  // Now and then a value that is not visible ASCII ('é1', a no-break space: obs-text, which HTTP allows): Linkerd's proxy never matches a regex against it.
  headers: fc.record(
    {
      'x-a': fc.oneof({ weight: 15, arbitrary: fc.constantFrom('1', '2', '12', '') }, { weight: 1, arbitrary: fc.constant('é1') }),
      'x-b': fc.oneof({ weight: 15, arbitrary: fc.constantFrom('1', 'z') }, { weight: 1, arbitrary: fc.constant('1\u00a0') }),
    },
    { requiredKeys: [] },
  ),
  query: fc.record({ q: fc.constantFrom('1', 'x', '') }, { requiredKeys: [] }),
});

/** Header conditions Linkerd writes as a regex: they differ only for header values that are not visible ASCII. */
export const REGEX_HEADER_FEATURES: readonly string[] = ['route.headerRegex', 'route.headerPrefix', 'route.headerPresent'];
const VISIBLE_ASCII = /^[\t\x20-\x7e]*$/;

/** Whether some request carries a header value a regex-only mesh cannot test (not visible ASCII). */
export function hasOpaqueHeaderValue(requests: readonly RequestView[]): boolean {
  return requests.some((r) => Object.values(r.headers).some((v) => v !== undefined && !VISIBLE_ASCII.test(v)));
}

/** A tally for the fidelity report, plus the two counts tests assert on. */
export interface FidelityStats extends FidelityTally {
  /** Cases compared decision by decision (nothing reported): `equal`, since a difference fails. */
  compared: number;
  /** Cases the adapter reported as unsupported or approximated. */
  reported: number;
}

/** Runs the fidelity property for one adapter; fails with the shrunk counterexample. Returns what was compared. */
export function checkRouteFidelity(
  adapter: Adapter,
  evaluate: RouteEvaluator,
  numRuns = 300,
  /** Checks every translated manifest as the mesh would (memoised: see mesh-validation/index.ts fidelityValidator). */
  validate: (m: Manifest) => string[] = fidelityValidator(),
): FidelityStats {
  const stats: FidelityStats = { ...newTally(), compared: 0, reported: 0 };
  fc.assert(
    fc.property(
      fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
      fc.array(requestArb, { minLength: 1, maxLength: 6 }),
      (rules, requests) => {
        const route = {
          apiVersion: 'anymesh.io/v1alpha1',
          kind: 'TrafficRoute',
          metadata: { name: 'web', namespace: 'fid' },
          spec: { service: 'web', rules },
        };
        const loaded = loadYaml(`${SERVICES}\n---\n${JSON.stringify(route)}`, 'fidelity.yaml');
        fc.pre(loaded.valid);
        stats.cases++;
        stats.requests += requests.length;
        const t = adapter.translate(loaded.set);
        expectApplicable(t.manifests, validate, rules);
        // The evaluator sees what the cluster would hold, not the list the translator returned.
        const state = meshState(loaded.set, t.manifests, validate);
        const decisions = (request: RequestView) => {
          const routed = { namespace: 'fid', service: 'web', request };
          return {
            mesh: canonicalDecision(evaluate(state, routed)),
            neutral: canonicalDecision(neutralDecision(loaded.set, routed)),
          };
        };
        // A gap on a regex-written header condition is about values these requests may not carry: then compared exactly.
        const opaque = hasOpaqueHeaderValue(requests);
        const gaps = t.diagnostics.filter(
          (d) =>
            d.object === 'TrafficRoute/fid/web' &&
            (d.code === 'AM4001' || d.code === 'AM4002') &&
            (opaque || !REGEX_HEADER_FEATURES.includes(d.feature ?? '')),
        );
        if (gaps.length > 0) {
          stats.reported++;
          countReported(stats, () =>
            requests.some((r) => {
              const d = decisions(r);
              return !isDeepStrictEqual(d.mesh, d.neutral);
            }),
          );
          return;
        }
        for (const request of requests) {
          const d = decisions(request);
          // expect() only on a difference: its bookkeeping per request costs more than the comparison.
          if (!isDeepStrictEqual(d.mesh, d.neutral)) expect(d.mesh, JSON.stringify({ request, rules })).toEqual(d.neutral);
        }
        stats.compared++;
        stats.equal++;
      },
    ),
    { numRuns },
  );
  return stats;
}
