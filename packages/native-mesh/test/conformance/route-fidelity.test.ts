import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRouteTable, durationMs, loadTexts, selectRoute, type RequestView, type RouteRule } from '@anymesh/core';
import { SERVICES } from '../../../adapters/test/conformance/case.js';
import { requestArb, ruleArb } from '../../../adapters/test/support/fidelity.js';
import { neutralDecision } from '../../../adapters/test/support/neutral-decision.js';
import { createRootCA } from '../../src/identity/index.js';
import { LiveMesh } from './live-mesh.js';
import { liveRequest } from './route-checks.js';

/**
 * The adapters' route fidelity property, with the native mesh as the implementation: random routes
 * and requests from the same generators; every request sent through live sidecars must land where
 * core's neutral decision says (a version the decision can send it to, the rewritten path and Host,
 * or the redirect). One set of sidecars (mTLS between them); each case is pushed as the next config snapshot.
 */
const RUNS = 100;

const strings = (r: Readonly<Record<string, string | readonly string[] | undefined>>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]));

function routeYaml(rules: readonly RouteRule[]): string {
  const route = {
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'TrafficRoute',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { service: 'web', rules },
  };
  return `${SERVICES}\n---\n${JSON.stringify(route)}`;
}

describe('route fidelity on live traffic: native mesh', () => {
  let mesh: LiveMesh;
  beforeAll(async () => {
    mesh = await LiveMesh.start(['v1', 'v2', 'v3'], { ca: (await createRootCA('cluster.local')).ca });
  });
  afterAll(async () => {
    await mesh?.close();
  });

  it(`routes ${RUNS} random route sets' random requests where the neutral decision says`, async () => {
    let cases = 0;
    let requests = 0;
    const kinds = { redirect: 0, rewritten: 0, versioned: 0, timedOut: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
        fc.array(requestArb, { minLength: 1, maxLength: 6 }),
        async (rules, views: RequestView[]) => {
          const yaml = routeYaml(rules);
          const loaded = loadTexts([{ file: 'fidelity.yaml', text: yaml }]);
          fc.pre(loaded.valid);
          mesh.load(yaml);
          cases++;
          const table = buildRouteTable(loaded.set.routes[0]!.object);
          for (const view of views) {
            requests++;
            const want = neutralDecision(loaded.set, { namespace: 'shop', service: 'web', request: view });
            const sent = performance.now();
            const reply = await mesh.call(
              liveRequest({ path: view.path, method: view.method, headers: strings(view.headers), query: strings(view.query) }),
            );
            const elapsedMs = performance.now() - sent;
            const label = JSON.stringify({ view, rules });
            if (want.kind === 'redirect') {
              kinds.redirect++;
              expect(reply.status, label).toBe(want.status);
              const location = new URL(String(reply.headers.location));
              expect({ path: location.pathname, host: location.hostname }, label).toEqual({
                path: want.path ?? view.path,
                host: want.host ?? 'web',
              });
              continue;
            }
            // The generators' edge timeouts (0.4 ms, 1 ms, 250 ms…) can run out on a loaded machine: a
            // 504 is then the neutral answer, provided the matched rule has a timeout and it had passed.
            const timeout = selectRoute(table, view)?.rule.timeout;
            const timeoutMs = timeout === undefined ? 0 : durationMs(timeout);
            if (reply.status === 504 && timeoutMs > 0) {
              expect(elapsedMs, `${label}: 504 after ${elapsedMs.toFixed(1)} ms, timeout ${timeout}`).toBeGreaterThanOrEqual(timeoutMs);
              kinds.timedOut++;
              continue;
            }
            expect(reply.status, label).toBe(200);
            const echo = reply.echo!;
            if (want.path !== view.path || want.host !== undefined) kinds.rewritten++;
            if (want.targets.every((t) => t.version !== undefined)) kinds.versioned++;
            const allowed = want.targets.filter((t) => t.share > 0).map((t) => t.version);
            expect(
              allowed.includes(undefined) || allowed.includes(echo.version),
              `${label}: answered by ${echo.version}, allowed ${String(allowed)}`,
            ).toBe(true);
            expect({ path: echo.url.split('?')[0], host: echo.host }, label).toEqual({ path: want.path, host: want.host ?? 'web' });
          }
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`native route fidelity: ${cases} route sets, ${requests} live requests (${JSON.stringify(kinds)}), 0 mismatches`);
    expect(cases).toBeGreaterThan(RUNS / 2);
  }, 300_000);
});
