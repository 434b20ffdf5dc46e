import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadTexts, type Diagnostic, type TrafficPlan, type TrafficRoute } from '@anymesh/core';
import type { Manifest } from '@anymesh/adapters';
import { CrdValidator } from '../../adapters/test/support/crd-validator.js';
import { REPO_ROOT } from './run-cli.js';
import { anymesh } from './rollout-support/processes.js';

interface PlanJson {
  readonly rollout: string;
  readonly mesh: string;
  readonly stages: readonly {
    label: string;
    traffic: TrafficPlan;
    route: TrafficRoute;
    manifests: Manifest[];
    diagnostics: Diagnostic[];
  }[];
}

const work = mkdtempSync(join(tmpdir(), 'anymesh-rollout-plan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BOOKSTORE = [
  '-f',
  'examples/bookstore/services.yaml',
  '-f',
  'examples/bookstore/routes.yaml',
  '-f',
  'examples/bookstore/traffic-policies.yaml',
];

/** A service with no authored route: the rollout makes its route, so the stage's weights are the route's whole split. */
const SHOP = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: shop, namespace: plan }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions:
    v1: { labels: { version: v1 } }
    v2: { labels: { version: v2 } }
---
apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: shop-v2, namespace: plan }
spec:
  service: shop
  from: v1
  to: v2
  strategy:
    canary: { steps: [10, { weight: 40, pause: {} }, 70] }
`;

async function plan(args: readonly string[]): Promise<PlanJson> {
  const run = await anymesh(['rollout', 'plan', ...args, '-o', 'json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as PlanJson;
}

describe('anymesh rollout plan', { timeout: 120_000 }, () => {
  const validator = new CrdValidator();

  it.each(['istio', 'linkerd', 'consul'])(
    "every stage of the bookstore's three example rollouts on %s passes the upstream CRD schemas",
    async (mesh) => {
      for (const example of ['reviews-canary', 'catalog-ab', 'inventory-blue-green']) {
        const planned = await plan(['-f', `examples/rollouts/${example}.yaml`, ...BOOKSTORE, '--mesh', mesh, '--all']);
        expect(planned.stages.length).toBeGreaterThanOrEqual(3);
        for (const stage of planned.stages) {
          expect(stage.manifests.length, `${example}: ${stage.label}`).toBeGreaterThan(0);
          for (const manifest of stage.manifests) {
            expect(validator.validate(manifest), `${example}: ${stage.label}: ${manifest.kind} ${manifest.metadata.name}`).toEqual([]);
          }
        }
      }
    },
  );

  it("puts each canary step's weights in Istio's VirtualService, then all to the new version, then all back", async () => {
    const file = join(work, 'shop.yaml');
    writeFileSync(file, SHOP);
    const planned = await plan(['-f', file, '--mesh', 'istio']);
    expect(planned.stages.map((s) => s.traffic)).toEqual([
      { kind: 'weights', from: 90, to: 10 },
      { kind: 'weights', from: 60, to: 40 },
      { kind: 'weights', from: 30, to: 70 },
      { kind: 'weights', from: 0, to: 100 },
      { kind: 'weights', from: 100, to: 0 },
    ]);
    expect(planned.stages[1]!.label).toContain('paused until promote');
    for (const stage of planned.stages) {
      const vs = stage.manifests.find((m) => m.kind === 'VirtualService' && m.metadata.name === 'shop');
      expect(vs, stage.label).toBeDefined();
      const traffic = stage.traffic as TrafficPlan & { kind: 'weights' };
      const expected = Object.entries({ v1: traffic.from / 100, v2: traffic.to / 100 }).filter(([, share]) => share > 0);
      expect(sharesOf(vs!), stage.label).toEqual(Object.fromEntries(expected));
    }
  });

  it('flags a cookie cohort on Linkerd, which only approximates the cookie match, in the cohort stage only', async () => {
    const linkerd = await plan(['-f', 'examples/rollouts/catalog-ab.yaml', ...BOOKSTORE, '--mesh', 'linkerd']);
    const cookieFindings = (i: number) =>
      linkerd.stages[i]!.diagnostics.filter((d) => d.code === 'AM4002' && d.path.endsWith('.headers.cookie') && d.mesh === 'linkerd');
    expect(linkerd.stages[0]!.traffic.kind).toBe('cohort');
    expect(cookieFindings(0).length).toBeGreaterThan(0);
    expect(cookieFindings(0)[0]!.message).toMatch(/cookie/);
    expect(cookieFindings(1)).toEqual([]); // promoted: no cohort any more
    const istio = await plan(['-f', 'examples/rollouts/catalog-ab.yaml', ...BOOKSTORE, '--mesh', 'istio']);
    expect(istio.stages[0]!.diagnostics.filter((d) => d.path.endsWith('.headers.cookie'))).toEqual([]);
  });

  it('prints the neutral TrafficRoute of each stage for the native mesh, and each is a valid policy with the services', async () => {
    const run = await anymesh(['rollout', 'plan', '-f', 'examples/rollouts/inventory-blue-green.yaml', ...BOOKSTORE, '--mesh', 'native']);
    expect(run.code, run.stderr).toBe(0);
    const headers = run.stdout.split('\n').filter((l) => l.startsWith('# Stage '));
    expect(headers).toEqual([
      expect.stringMatching(/^# Stage 1\/3: .*preview of v2 .*x-anymesh-preview/),
      expect.stringMatching(/^# Stage 2\/3: promoted: 100 % to v2$/),
      expect.stringMatching(/^# Stage 3\/3: rolled back or aborted: 100 % to v1$/),
    ]);
    const routes = parseAllDocuments(run.stdout).map((d) => d.toJS() as TrafficRoute);
    expect(routes.map((r) => [r.kind, r.spec.service])).toEqual([
      ['TrafficRoute', 'inventory'],
      ['TrafficRoute', 'inventory'],
      ['TrafficRoute', 'inventory'],
    ]);
    const services = { file: 'services.yaml', text: readFileSync(join(REPO_ROOT, 'examples/bookstore/services.yaml'), 'utf8') };
    for (const [i, route] of routes.entries()) {
      const loaded = loadTexts([services, { file: `stage-${i + 1}.yaml`, text: JSON.stringify(route) }]);
      expect(
        loaded.diagnostics.filter((d) => d.severity === 'error'),
        headers[i],
      ).toEqual([]);
    }
    // Blue/green's preview stage: the header sends requests to v2, everyone else stays on v1 with a copy to v2.
    const preview = routes[0]!.spec.rules;
    expect(preview.some((r) => r.matches?.some((m) => m.headers?.['x-anymesh-preview']) && r.destinations?.[0]?.version === 'v2')).toBe(
      true,
    );
    expect(preview.filter((r) => r.destinations?.[0]?.version === 'v1').every((r) => r.mirror?.version === 'v2')).toBe(true);
  });

  it('reports an invalid rollout with file, line and field, and plans nothing (exit 1)', async () => {
    const file = join(work, 'bad.yaml');
    writeFileSync(file, SHOP.replace('to: v2', 'to: v9'));
    const run = await anymesh(['rollout', 'plan', '-f', file, '--mesh', 'istio']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${file}:\\d+:\\d+: error AM3010: .*\\(spec\\.to\\)$`, 'm'));
    expect(run.stderr).toContain('nothing planned');
    expect(run.stdout).toBe('');
  });

  it('asks which rollout to plan when the first path holds several, naming them (exit 2)', async () => {
    const file = join(work, 'two.yaml');
    // One Rollout per service: the second is of another service.
    writeFileSync(file, `${SHOP}---\n${SHOP.replaceAll('shop', 'cart')}`);
    const run = await anymesh(['rollout', 'plan', '-f', file, '--mesh', 'native']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('holds 2 Rollouts (plan/shop-v2, plan/cart-v2); name the one to plan');
    const named = await anymesh(['rollout', 'plan', 'plan/cart-v2', '-f', file, '--mesh', 'native']);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toContain('# Rollout plan/cart-v2 on native: cart v1 -> v2');
  });
});

/** The fraction of the VirtualService's weight each subset gets, over all its HTTP routes' destinations. */
function sharesOf(vs: Manifest): Record<string, number> {
  const http = (vs.spec as { http: { route: { destination: { subset: string }; weight?: number }[] }[] }).http;
  const totals: Record<string, number> = {};
  for (const rule of http) {
    const sum = rule.route.reduce((s, r) => s + (r.weight ?? 100 / rule.route.length), 0);
    for (const r of rule.route)
      totals[r.destination.subset] = (totals[r.destination.subset] ?? 0) + (r.weight ?? 100 / rule.route.length) / sum / http.length;
  }
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
}
