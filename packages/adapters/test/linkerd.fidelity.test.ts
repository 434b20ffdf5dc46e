import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeatureName } from '@anymesh/core';
import { evaluateLinkerdRoute, linkerdAdapter } from '../src/linkerd/index.js';
import { checkRouteFidelity, requestArb, ruleArb } from './support/fidelity.js';
import { canonicalDecision, neutralDecision } from './support/neutral-decision.js';
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
 * Findings that say "a decision may differ". Everything else Linkerd reports (header prefix as a
 * regex, mirror, fault, retries) leaves the routing decision itself intact, so it must match exactly.
 */
const DECISION_CHANGING: readonly FeatureName[] = ['route.precedence', 'route.headerAbsent', 'rewrite.path', 'rewrite.host', 'redirect'];

describe('Linkerd route fidelity', () => {
  it('routes random requests through translated Linkerd config exactly as the neutral model does (shared harness)', () => {
    const stats = checkRouteFidelity(linkerdAdapter, evaluateLinkerdRoute, 400);
    expect(stats.compared).toBeGreaterThan(50);
    expect(stats.requests).toBeGreaterThan(150);
  }, 120_000);

  it('agrees with the neutral decision unless it reported a decision-changing gap, so every precedence divergence is detected', () => {
    let compared = 0;
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
          const t = linkerdAdapter.translate(loaded.set);
          const changing = t.diagnostics.filter((d) => d.feature !== undefined && DECISION_CHANGING.includes(d.feature));
          if (changing.some((d) => d.feature === 'route.precedence')) precedenceReported++;
          if (changing.length > 0) return;
          compared++;
          for (const request of requests) {
            const routed = { namespace: 'fid', service: 'web', request };
            expect(canonicalDecision(evaluateLinkerdRoute(t.manifests, routed)), JSON.stringify({ request, rules })).toEqual(
              canonicalDecision(neutralDecision(loaded.set, routed)),
            );
          }
        },
      ),
      { numRuns: 600 },
    );
    // The property compared real routes, and the detector fired on some but not on everything.
    expect(compared).toBeGreaterThan(150);
    expect(precedenceReported).toBeGreaterThan(0);
  }, 120_000);
});
