import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeatureName } from '@anymesh/core';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { evaluateLinkerdRoute, meshState } from './evaluators/index.js';
import { checkRouteFidelity, hasOpaqueHeaderValue, REGEX_HEADER_FEATURES, requestArb, ruleArb } from './support/fidelity.js';
import { fidelityRuns } from './support/fidelity-budget.js';
import { countReported, newTally, recordFidelity } from './support/fidelity-report.js';
import { canonicalDecision, neutralDecision } from './support/neutral-decision.js';
import { expectApplicable, fidelityValidator } from './support/mesh-validation/index.js';
import { loadYaml } from './support/policy-cases.js';

const SERVICES = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: fid }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } }, v3: { labels: { version: v3 } } }
`;

/**
 * Findings that say "a decision may differ". Header conditions written as a regex (regex, prefix,
 * present) differ only for values that are not visible ASCII, which Linkerd never matches a regex
 * against (REGEX_HEADER_FEATURES). Everything else Linkerd reports (mirror, fault, retries) leaves the routing decision
 * itself intact, so it must match exactly.
 */
const DECISION_CHANGING: readonly FeatureName[] = ['route.precedence', 'route.headerAbsent', 'rewrite.path', 'rewrite.host', 'redirect'];

describe('Linkerd route fidelity', () => {
  it('routes random requests through translated Linkerd config exactly as the neutral model does (shared harness)', () => {
    const runs = fidelityRuns('linkerd', 'route');
    const stats = checkRouteFidelity(linkerdAdapter, evaluateLinkerdRoute, runs, fidelityValidator());
    recordFidelity('linkerd', 'route', stats);
    expect(stats.cases).toBe(runs);
    expect(stats.compared).toBeGreaterThan(runs / 8);
    expect(stats.requests).toBeGreaterThan(runs);
  }, 180_000);

  it('agrees with the neutral decision unless it reported a decision-changing gap, so every precedence divergence is detected', () => {
    const runs = fidelityRuns('linkerd', 'route-precedence');
    const tally = newTally();
    const validate = fidelityValidator();
    let precedenceReported = 0;
    fc.assert(
      fc.property(
        fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
        fc.array(requestArb, { minLength: 1, maxLength: 8 }),
        (rules, requests) => {
          const route = {
            apiVersion: 'anymesh.io/v1alpha1',
            kind: 'TrafficRoute',
            metadata: { name: 'web', namespace: 'fid' },
            spec: { service: 'web', rules },
          };
          const loaded = loadYaml(`${SERVICES}\n---\n${JSON.stringify(route)}`, 'fidelity.yaml');
          fc.pre(loaded.valid);
          tally.cases++;
          tally.requests += requests.length;
          const t = linkerdAdapter.translate(loaded.set);
          expectApplicable(t.manifests, validate, rules);
          const state = meshState(loaded.set, t.manifests, validate);
          const decisions = (request: (typeof requests)[number]) => {
            const routed = { namespace: 'fid', service: 'web', request };
            return {
              mesh: canonicalDecision(evaluateLinkerdRoute(state, routed)),
              neutral: canonicalDecision(neutralDecision(loaded.set, routed)),
            };
          };
          // A regex header condition changes decisions only for requests with a value that is not visible ASCII.
          const opaqueValue = hasOpaqueHeaderValue(requests);
          const changing = t.diagnostics.filter(
            (d) =>
              d.feature !== undefined &&
              (DECISION_CHANGING.includes(d.feature) || (opaqueValue && REGEX_HEADER_FEATURES.includes(d.feature))),
          );
          if (changing.some((d) => d.feature === 'route.precedence')) precedenceReported++;
          if (changing.length > 0) {
            countReported(tally, () =>
              requests.some((r) => {
                const d = decisions(r);
                return !isDeepStrictEqual(d.mesh, d.neutral);
              }),
            );
            return;
          }
          for (const request of requests) {
            const d = decisions(request);
            if (!isDeepStrictEqual(d.mesh, d.neutral)) expect(d.mesh, JSON.stringify({ request, rules })).toEqual(d.neutral);
          }
          tally.equal++;
        },
      ),
      { numRuns: runs },
    );
    recordFidelity('linkerd', 'route-precedence', tally);
    // The property compared real routes, and the detector fired on some but not on everything.
    expect(tally.cases).toBe(runs);
    expect(tally.equal).toBeGreaterThan(runs / 4);
    expect(precedenceReported).toBeGreaterThan(0);
  }, 180_000);
});
