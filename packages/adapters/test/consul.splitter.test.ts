import { describe, expect, it } from 'vitest';
import { translateConsul } from '../src/consul/index.js';
import { SOURCE_ANNOTATION, type Translation } from '../src/index.js';
import { loadValid } from './consul-support.js';

const route = (destinations: string) =>
  loadValid(
    `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: svc, namespace: demo }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } }, v3: { labels: { version: v3 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: r, namespace: demo }
spec:
  service: svc
  rules:
    - matches: [{ path: { prefix: /a } }]
      destinations: ${destinations}
`,
    'split.yaml',
  );

const routerDestinations = (t: Translation) =>
  (
    t.manifests.find((m) => m.kind === 'ServiceRouter' && m.metadata.name === 'svc')?.spec as {
      routes: { destination: { service: string; serviceSubset?: string } }[];
    }
  ).routes.map((r) => ({ service: r.destination.service, serviceSubset: r.destination.serviceSubset }));
const splitDiagnostics = (t: Translation) =>
  t.diagnostics.filter((d) => d.feature === 'split.weighted').map((d) => [d.code, d.path, d.message]);

describe('Consul weighted splits', () => {
  it('routes a rule whose only positive weight is one version straight to that subset, without a splitter', () => {
    const t = translateConsul(route('[{ version: v1, weight: 2 }, { version: v2, weight: 0 }]'));
    expect(t.manifests.filter((m) => m.metadata.name.includes('-split-'))).toEqual([]);
    expect(routerDestinations(t)[0]).toEqual({ service: 'svc', serviceSubset: 'v1' });
  });

  it('routes a rule naming one version twice straight to it (one destination, summed weight)', () => {
    const t = translateConsul(route('[{ version: v2 }, { service: svc, version: v2, weight: 3 }]'));
    expect(t.manifests.filter((m) => m.kind === 'ServiceSplitter')).toEqual([]);
    expect(routerDestinations(t)[0]).toEqual({ service: 'svc', serviceSubset: 'v2' });
  });

  it("splits through a virtual service of the rule's own, HTTP and resolving to the real service, sourced from both", () => {
    const t = translateConsul(route('[{ version: v1 }, { version: v2, weight: 3 }]'));
    expect(routerDestinations(t)[0]).toEqual({ service: 'svc-split-rule-0', serviceSubset: undefined });
    const virtual = t.manifests.filter((m) => m.metadata.name === 'svc-split-rule-0');
    expect(virtual.map((m) => [m.kind, m.metadata.namespace, m.spec])).toEqual([
      ['ServiceDefaults', 'demo', { protocol: 'http' }],
      ['ServiceResolver', 'demo', { redirect: { service: 'svc' } }],
      [
        'ServiceSplitter',
        'demo',
        {
          splits: [
            { weight: 25, service: 'svc', serviceSubset: 'v1' },
            { weight: 75, service: 'svc', serviceSubset: 'v2' },
          ],
        },
      ],
    ]);
    for (const m of virtual) expect(m.metadata.annotations?.[SOURCE_ANNOTATION]).toBe('Service/demo/svc,TrafficRoute/demo/r');
    expect(splitDiagnostics(t)).toEqual([]);
  });

  it('reports each share that 0.01 % steps change, at its weight, with the exact and the written percent', () => {
    const t = translateConsul(route('[{ version: v1 }, { version: v2 }, { version: v3 }]'));
    expect(splitDiagnostics(t)).toEqual(
      [0, 1, 2].map((i) => [
        'AM4002',
        `spec.rules[0].destinations[${i}].weight`,
        `consul approximates split.weighted: Consul split weights are percentages with 0.01 granularity summing to 100: share 33.333333% becomes ${i === 0 ? '33.34' : '33.33'}%`,
      ]),
    );
  });

  it('leaves out a destination whose share rounds to 0 %, and says so', () => {
    const t = translateConsul(route('[{ version: v1, weight: 1 }, { version: v2, weight: 99999 }]'));
    expect(t.manifests.find((m) => m.kind === 'ServiceSplitter')?.spec).toEqual({
      splits: [{ weight: 100, service: 'svc', serviceSubset: 'v2' }],
    });
    expect(splitDiagnostics(t).map(([, , m]) => (m as string).replace(/.*: share /, ''))).toEqual([
      '0.0010000000% becomes 0%',
      '99.999000% becomes 100%',
    ]);
  });
});
