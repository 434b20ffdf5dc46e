import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  loadTexts,
  routeForTraffic,
  type AbMatch,
  type Destination,
  type HeaderMatch,
  type RequestView,
  type RouteMatch,
  type RouteRule,
  type TrafficPlan,
  type TrafficRoute,
} from '../../src/index.js';
import { actual, expected, inCohort, sameDist, V } from './route-oracle.js';

const SERVICE = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews }
spec: { ports: [{ port: 80, protocol: http }], versions: { v1: { labels: { v: "1" } }, v2: { labels: { v: "2" } }, v3: { labels: { v: "3" } } } }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: other }
spec: { ports: [{ port: 80, protocol: http }], versions: { v1: { labels: { v: "1" } } } }
`;
const ROLLOUT = `apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: reviews-v3 }
spec: { service: reviews, from: v1, to: v3, strategy: { canary: { steps: [50] } } }
`;

function load(route: TrafficRoute | undefined) {
  const text = `${SERVICE}---\n${ROLLOUT}${route ? `---\n${stringify(route)}` : ''}`;
  return loadTexts([{ file: 'p.yaml', text }]);
}

// ---- generators: authored routes over a small alphabet so that rules and requests often meet ----
const value = fc.constantFrom('1', 'a', 'ab', 'b', 'true');
const anyCondition: fc.Arbitrary<HeaderMatch> = fc.oneof(
  value.map((exact) => ({ exact })),
  fc.constantFrom('a', 'ab').map((prefix) => ({ prefix })),
  fc.constantFrom('a.*', '[ab]+').map((regex) => ({ regex })),
  fc.constant({ present: true as const }),
  fc.constant({ absent: true as const }),
);
const preciseCondition: fc.Arbitrary<HeaderMatch> = fc.oneof(
  value.map((exact) => ({ exact })),
  fc.constant({ present: true as const }),
  fc.constant({ absent: true as const }),
);
const cookieCondition: fc.Arbitrary<HeaderMatch> = fc.oneof(
  fc.constantFrom('beta=1', 'x=1; beta=1', 'beta=12').map((exact) => ({ exact })),
  fc.constant({ present: true as const }),
  fc.constant({ absent: true as const }),
);

/** Header conditions of authored matches; `cohortNames` may appear too (overlap) when `overlap`. */
function headersArb(overlap: boolean): fc.Arbitrary<Record<string, HeaderMatch>> {
  const names: [string, fc.Arbitrary<HeaderMatch>][] = [
    ['x-a', anyCondition],
    ['x-b', anyCondition],
  ];
  if (overlap) names.push(['x-beta', anyCondition], ['cookie', cookieCondition]);
  return fc
    .subarray(names, { maxLength: 2 })
    .chain((picked) => fc.tuple(...picked.map(([n, a]) => a.map((c): [string, HeaderMatch] => [n, c]))))
    .map((pairs: [string, HeaderMatch][]) => Object.fromEntries(pairs));
}

function matchArb(overlap: boolean): fc.Arbitrary<RouteMatch> {
  return fc
    .record(
      {
        path: fc.option(fc.constantFrom({ prefix: '/' }, { prefix: '/a' }, { prefix: '/a/b' }, { exact: '/a/b' }, { regex: '/a/[0-9]+' }), {
          nil: undefined,
        }),
        method: fc.option(fc.constantFrom('GET' as const, 'POST' as const), { nil: undefined }),
        headers: headersArb(overlap),
        queryParams: fc.option(fc.constant({ q: { exact: '1' } }), { nil: undefined }),
      },
      { requiredKeys: [] },
    )
    .map(
      (m) =>
        Object.fromEntries(
          Object.entries(m).filter(([, v]) => v !== undefined && !(typeof v === 'object' && Object.keys(v).length === 0)),
        ) as RouteMatch,
    );
}

const destination: fc.Arbitrary<Destination> = fc
  .record({
    version: fc.option(fc.constantFrom('v1', 'v2', 'v3'), { nil: undefined }),
    weight: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    other: fc.boolean(),
  })
  .map(({ version, weight, other }) => ({
    ...(other && version === 'v1' ? { service: 'other' } : {}),
    ...(version ? { version } : {}),
    ...(weight === undefined ? {} : { weight }),
  }));

function ruleArb(overlap: boolean): fc.Arbitrary<RouteRule> {
  return fc
    .record({
      matches: fc.option(fc.array(matchArb(overlap), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      kind: fc.constantFrom('forward', 'forward', 'forward', 'redirect'),
      destinations: fc.option(fc.array(destination, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      mirror: fc.option(fc.constantFrom('v1', 'v2', 'v3'), { nil: undefined }),
      timeout: fc.option(fc.constantFrom('1s', '2s'), { nil: undefined }),
    })
    .map(({ matches, kind, destinations, mirror, timeout }) => {
      const rule: RouteRule = { ...(matches ? { matches } : {}), ...(timeout ? { timeout } : {}) };
      if (kind === 'redirect') return { ...rule, redirect: { path: '/moved' } };
      const dests = destinations?.some((d) => (d.weight ?? 1) > 0) ? destinations : undefined;
      return {
        ...rule,
        ...(dests ? { destinations: dests as [Destination, ...Destination[]] } : {}),
        ...(mirror ? { mirror: { version: mirror, percent: 10 } } : {}),
      };
    });
}

function routeArb(overlap: boolean): fc.Arbitrary<TrafficRoute | undefined> {
  return fc.option(
    fc.array(ruleArb(overlap), { minLength: 1, maxLength: 4 }).map((rules): TrafficRoute => ({
      apiVersion: 'anymesh.io/v1alpha1',
      kind: 'TrafficRoute',
      metadata: { name: 'reviews' },
      spec: { service: 'reviews', rules: rules.map((r, i) => ({ name: `r${i}`, ...r })) as [RouteRule, ...RouteRule[]] },
    })),
    { nil: undefined, freq: 6 },
  );
}

const request: fc.Arbitrary<RequestView> = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  path: fc.constantFrom('/', '/a', '/a/b', '/a/b/1', '/c'),
  headers: fc
    .record(
      {
        'x-a': value,
        'x-b': value,
        'x-beta': value,
        'x-preview': fc.constantFrom('true', 'false'),
        cookie: fc.constantFrom('beta=1', 'x=1; beta=1', 'beta=12', 'abeta=1', 'x=1, beta=1', 'beta=1;y=2'),
      },
      { requiredKeys: [] },
    )
    .map((h) => h as Record<string, string | undefined>),
  query: fc.option(fc.constant({ q: '1' }), { nil: {} }).map((q) => q as Record<string, string | undefined>),
});

const block: fc.Arbitrary<AbMatch> = fc.oneof(
  preciseCondition.map((c) => ({ headers: { 'X-Beta': c } })),
  fc.constantFrom('1', '12').map((v) => ({ cookie: { name: 'beta', value: v } })),
);
function planArb(): fc.Arbitrary<TrafficPlan> {
  return fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((to): TrafficPlan => ({ kind: 'weights', from: 100 - to, to })),
    fc.array(block, { minLength: 1, maxLength: 3 }).map((matches): TrafficPlan => ({ kind: 'cohort', matches })),
    fc.boolean().map((mirror): TrafficPlan => ({ kind: 'preview', header: 'x-preview', mirror })),
  );
}

/**
 * `exact`: every request goes where the oracle says. Otherwise (authored matches that condition a
 * cohort header, where the precedence of the cohort copies can differ: docs/rollouts.md, AM3019)
 * requests outside the cohort still route exactly as authored, and cohort requests never reach
 * the old version.
 */
function check(exact: boolean) {
  return (route: TrafficRoute | undefined, plan: TrafficPlan, requests: RequestView[]) => {
    const authored = load(route);
    fc.pre(!authored.diagnostics.some((d) => d.severity === 'error'));
    const rollout = authored.set.rollouts[0]!.object;
    const rewritten = routeForTraffic(authored.set, rollout, plan);
    // The output is a valid policy: it round-trips through YAML and validates without errors.
    const reloaded = load(rewritten);
    expect(reloaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const route2 = reloaded.set.routes[0]!.object;
    for (const req of requests) {
      const want = expected(route, plan, req);
      const got = actual(route2, req);
      if (!exact && inCohort(plan, req)) {
        if ('dist' in got) expect(got.dist[`${V.service}/${V.from}`]).toBeUndefined();
        continue;
      }
      if ('redirect' in want) {
        expect(got).toEqual(want);
        continue;
      }
      expect('dist' in got).toBe(true);
      if (!('dist' in got)) continue;
      expect({ ok: sameDist(got.dist, want.dist), got: got.dist, want: want.dist }).toMatchObject({ ok: true });
      expect(got.rule).toEqual(want.rule);
      expect(got.mirror).toEqual(want.mirror);
      expect(Object.keys(got.dist).every((k) => k !== `${V.service}/*`)).toBe(true);
    }
  };
}

// Each run loads and validates two policy sets (~10 ms, far more on a loaded machine): a bound above vitest's 30 s default.
describe('routeForTraffic against the core route semantics', () => {
  it('sends every request where the plan says: cohort → new version; all others as authored with the share re-split', () => {
    fc.assert(fc.property(routeArb(false), planArb(), fc.array(request, { minLength: 1, maxLength: 12 }), check(true)), { numRuns: 200 });
  }, 120_000);

  it('when authored matches condition the cohort’s headers: others exactly as authored, the cohort never on the old version', () => {
    fc.assert(fc.property(routeArb(true), planArb(), fc.array(request, { minLength: 1, maxLength: 12 }), check(false)), { numRuns: 200 });
  }, 120_000);
});
