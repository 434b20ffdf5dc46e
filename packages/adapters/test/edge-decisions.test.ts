import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAccess, spiffeId, type FeatureName } from '@anymesh/core';
import { istioAdapter } from '../src/istio/index.js';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { evaluateIstioAccess, evaluateLinkerdRoute, meshState } from './evaluators/index.js';
import { edgeSetArb } from './support/edge-shapes.js';
import { neutralDecision } from './support/neutral-decision.js';
import { podDecision } from './support/pod-decision.js';
import { loadYaml } from './support/policy-cases.js';

const RUNS = 100;
/** Findings that say "a routing decision may differ" (as in linkerd.fidelity.test.ts). */
const DECISION_CHANGING: readonly FeatureName[] = ['route.precedence', 'route.headerAbsent', 'rewrite.path', 'rewrite.host', 'redirect'];

const requestArb = fc.record({
  path: fc.constantFrom('/items', '/items/x', '/p1', '/p7/x', '/'),
  tenant: fc.option(fc.nat(30), { nil: undefined }),
  method: fc.constantFrom('GET', 'POST'),
});

describe('decisions on edge-shaped policy sets, as applied to a cluster', () => {
  it('Linkerd routes up to 24 rules per route (several HTTPRoutes) as the neutral model does, unless it reported a decision-changing gap', () => {
    let compared = 0;
    fc.assert(
      fc.property(edgeSetArb, fc.array(requestArb, { minLength: 1, maxLength: 6 }), (yaml, requests) => {
        const loaded = loadYaml(yaml, 'edge.yaml');
        fc.pre(loaded.valid);
        const t = linkerdAdapter.translate(loaded.set);
        if (t.diagnostics.some((d) => d.feature !== undefined && DECISION_CHANGING.includes(d.feature))) return;
        const applied = meshState(loaded.set, t.manifests);
        for (const route of loaded.set.routes) {
          compared++;
          for (const r of requests) {
            const headers: Record<string, string> = r.tenant === undefined ? {} : { 'x-tenant': `t${r.tenant}` };
            const routed = {
              namespace: 'edge',
              service: route.object.spec.service,
              request: { method: r.method, path: r.path, headers, query: {} },
            };
            const mesh = podDecision(applied, 'edge', evaluateLinkerdRoute(applied, routed));
            const neutral = podDecision(applied, 'edge', neutralDecision(loaded.set, routed));
            if (!isDeepStrictEqual(mesh, neutral)) expect(mesh, JSON.stringify({ routed, yaml })).toEqual(neutral);
          }
        }
      }),
      { numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS / 4);
  }, 180_000);

  it('Istio authorizes calls to services that share pods as the neutral model does, unless it reported a gap', () => {
    let compared = 0;
    fc.assert(
      fc.property(edgeSetArb, fc.nat(7), fc.nat(7), fc.constantFrom('GET', 'POST'), (yaml, caller, callee, method) => {
        const loaded = loadYaml(yaml, 'edge.yaml');
        fc.pre(loaded.valid);
        const t = istioAdapter.translate(loaded.set);
        if (t.diagnostics.some((d) => d.code === 'AM4001' || d.code === 'AM4002')) return;
        const services = [...loaded.set.services.values()].map((s) => s.object);
        const from = services[caller % services.length]!;
        const to = services[callee % services.length]!;
        const state = meshState(loaded.set, t.manifests);
        const neutral = compileAccess(loaded.set);
        compared++;
        for (const p of to.spec.ports.filter((x) => (x.protocol ?? 'http') !== 'tcp')) {
          const req = {
            namespace: 'edge',
            service: to.metadata.name,
            port: p.port,
            method,
            path: '/',
            identity: spiffeId('cluster.local', 'edge', from.metadata.name),
          };
          expect(evaluateIstioAccess(state, req), JSON.stringify({ req, yaml })).toBe(neutral(req).allowed);
        }
      }),
      { numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS / 4);
  }, 180_000);
});
