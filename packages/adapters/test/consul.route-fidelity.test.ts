import {
  buildRouteTable,
  loadTexts,
  routeFor,
  selectRoute,
  type PolicySet,
  type RequestView,
  type RouteMatch,
  type RouteRule,
} from '@anymesh/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translateConsul } from '../src/consul/index.js';
import { applyState, evaluateConsulRoute, matchedConsulRoute } from './evaluators/index.js';
import type { RouteDecision, WeightedTarget } from '../src/shared/route-decision.js';
import { fidelityRuns } from './support/fidelity-budget.js';
import { edgeDurationArb } from './support/fidelity-edge-values.js';
import { newTally, recordFidelity } from './support/fidelity-report.js';
import { neutralDecision } from './support/neutral-decision.js';
import { expectApplicable, fidelityValidator } from './support/mesh-validation/index.js';

const SERVICES = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: svc, namespace: demo }
spec:
  ports: [{ port: 8080 }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } }, v3: { labels: { version: v3 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: other, namespace: demo }
spec:
  ports: [{ port: 8080 }]
`;

const PATHS = ['/', '/a', '/a/', '/a/b', '/ab', '/A/b', '/a/b/c', '/x', '/X/a'];
const pathMatch = fc.oneof(
  fc.record({ exact: fc.constantFrom('/a', '/a/b', '/A/b'), ignoreCase: fc.boolean() }),
  fc.record({ prefix: fc.constantFrom('/', '/a', '/a/', '/a/b', '/x'), ignoreCase: fc.boolean() }),
  fc.record({ regex: fc.constantFrom('/a/.*', '/[a-z]+', '/X/.+') }),
);
const headerMatch = fc.constantFrom(
  { exact: 'alice' },
  { prefix: 'al' },
  { regex: 'a.*e' },
  { present: true as const },
  { absent: true as const },
);
const routeMatch: fc.Arbitrary<RouteMatch> = fc.record(
  {
    path: pathMatch,
    method: fc.constantFrom('GET' as const, 'POST' as const),
    headers: fc.dictionary(fc.constantFrom('x-user', 'x-tier'), headerMatch, { maxKeys: 2 }),
    queryParams: fc.dictionary(fc.constantFrom('q'), fc.constantFrom({ exact: '1' }, { present: true as const }), { maxKeys: 1 }),
  },
  { requiredKeys: [] },
);
const destination = fc.record(
  { version: fc.constantFrom('v1', 'v2', 'v3'), weight: fc.integer({ min: 0, max: 7 }), service: fc.constant('other') },
  { requiredKeys: [] },
);
const rule: fc.Arbitrary<RouteRule> = fc
  .record({
    matches: fc.array(routeMatch, { maxLength: 2 }),
    destinations: fc.array(destination, { minLength: 1, maxLength: 3 }),
    timeout: fc.option(fc.oneof(fc.constantFrom('1s', '250ms'), edgeDurationArb), { nil: undefined }),
    rewrite: fc.option(fc.constantFrom('/r', '/', '/r/', '/r/s/'), { nil: undefined }),
  })
  .map(({ matches, destinations, timeout, rewrite }) => {
    // `other` has no versions; keep destinations meaningful and at least one weight positive.
    const dests = destinations.map((d) => (d.service === 'other' ? { service: 'other', weight: d.weight } : d));
    if (dests.every((d) => (d.weight ?? 1) === 0)) dests[0] = { ...dests[0], weight: 1 };
    const allPrefix = matches.length > 0 && matches.every((m) => m.path !== undefined && 'prefix' in m.path);
    return {
      ...(matches.length > 0 ? { matches } : {}),
      destinations: dests as RouteRule['destinations'],
      ...(timeout ? { timeout } : {}),
      ...(rewrite && allPrefix ? { rewrite: { pathPrefix: rewrite } } : {}),
    };
  });
const request: fc.Arbitrary<RequestView> = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  path: fc.constantFrom(...PATHS),
  headers: fc.record({ 'x-user': fc.constantFrom('alice', 'al', 'bob', undefined), 'x-tier': fc.constantFrom('alice', undefined) }),
  query: fc.record({ q: fc.constantFrom('1', '2', undefined) }),
});

function load(rules: RouteRule[]): PolicySet | undefined {
  const route = {
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'TrafficRoute',
    metadata: { name: 'svc', namespace: 'demo' },
    spec: { service: 'svc', rules },
  };
  const result = loadTexts([{ file: 'gen.yaml', text: `${SERVICES}---\n${JSON.stringify(route)}\n` }]);
  return result.valid ? result.set : undefined;
}

/** Targets merged by (service, version) so that equal decisions compare equal however they are split. */
function merged(targets: readonly WeightedTarget[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of targets) out.set(`${t.service}/${t.version ?? '*'}`, (out.get(`${t.service}/${t.version ?? '*'}`) ?? 0) + t.share);
  return out;
}

function sameForwarding(a: RouteDecision, b: RouteDecision, tolerance: number): boolean {
  if (a.kind !== 'forward' || b.kind !== 'forward' || a.path !== b.path || a.host !== b.host) return false;
  const ma = merged(a.targets);
  const mb = merged(b.targets);
  return [...new Set([...ma.keys(), ...mb.keys()])].every((k) => Math.abs((ma.get(k) ?? 0) - (mb.get(k) ?? 0)) <= tolerance);
}

/** Property runs are CPU-bound and test files run in parallel: allow for a loaded machine. */
const PROPERTY_TIMEOUT_MS = 120_000;

describe('Consul routing fidelity', () => {
  it(
    'sends every request where the neutral model does: same rule, targets, shares (to 0.01%) and rewritten path',
    () => {
      const runs = fidelityRuns('consul', 'route-split');
      const tally = newTally();
      const validate = fidelityValidator();
      fc.assert(
        fc.property(
          fc.array(rule, { minLength: 1, maxLength: 5 }),
          fc.array(request, { minLength: 1, maxLength: 12 }),
          (rules, requests) => {
            const set = load(rules);
            fc.pre(set !== undefined);
            tally.cases++;
            tally.requests += requests.length;
            const out = translateConsul(set!);
            expectApplicable(out.manifests, validate, rules);
            for (const req of requests) {
              const routed = { namespace: 'demo', service: 'svc', request: req };
              const neutral = neutralDecision(set!, routed);
              const consul = evaluateConsulRoute(applyState(out.manifests), routed);
              expect(sameForwarding(neutral, consul, 0.0001), JSON.stringify({ req, neutral, consul })).toBe(true);
            }
            // Shares rounded to Consul's 0.01% are reported (AM4002) and compared to that precision.
            tally.equal++;
          },
        ),
        { numRuns: runs },
      );
      recordFidelity('consul', 'route-split', tally);
      expect(tally.cases).toBe(runs);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'applies the neutral request timeout to every request, and "none" where the neutral model has none',
    () => {
      const runs = fidelityRuns('consul', 'route-timeout');
      const tally = newTally();
      const validate = fidelityValidator();
      fc.assert(
        fc.property(
          fc.array(rule, { minLength: 1, maxLength: 5 }),
          fc.array(request, { minLength: 1, maxLength: 8 }),
          (rules, requests) => {
            const set = load(rules);
            fc.pre(set !== undefined);
            tally.cases++;
            tally.requests += requests.length;
            const out = translateConsul(set!);
            expectApplicable(out.manifests, validate, rules);
            for (const req of requests) {
              const routed = { namespace: 'demo', service: 'svc', request: req };
              const entry = selectRoute(buildRouteTable(routeFor(set!, 'demo', 'svc')!), req);
              const want = entry?.rule.timeout;
              expect(matchedConsulRoute(applyState(out.manifests), routed)?.destination?.requestTimeout).toBe(want ?? '-1s');
            }
            tally.equal++;
          },
        ),
        { numRuns: runs },
      );
      recordFidelity('consul', 'route-timeout', tally);
      expect(tally.cases).toBe(runs);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('reports every split share that Consul rounds, and only those', () => {
    const set = load([
      { destinations: [{ version: 'v1' }, { version: 'v2' }, { version: 'v3' }] },
      {
        matches: [{ method: 'POST' }],
        destinations: [
          { version: 'v1', weight: 3 },
          { version: 'v2', weight: 1 },
        ],
      },
    ]);
    const rounded = translateConsul(set!).diagnostics.filter((d) => d.feature === 'split.weighted');
    expect(rounded.map((d) => d.path)).toEqual([
      'spec.rules[0].destinations[0].weight',
      'spec.rules[0].destinations[1].weight',
      'spec.rules[0].destinations[2].weight',
    ]);
  });
});
