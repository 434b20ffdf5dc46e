import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Service } from '@anymesh/core';
import { PodMates, selectorsMayShare } from '../src/shared/pod-mates.js';

const labelArb = fc.dictionary(fc.constantFrom('app', 'tier', 'track', 'team'), fc.constantFrom('a', 'b', 'c'), {
  maxKeys: 3,
});

function service(name: string, namespace: string, selector: Record<string, string> | undefined): Service {
  return {
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { ports: [{ port: 80 }], ...(selector ? { selector } : {}) },
  } as Service;
}

const servicesArb = fc
  .array(fc.record({ namespace: fc.constantFrom('x', 'y'), selector: fc.option(labelArb, { nil: undefined }) }), {
    maxLength: 25,
  })
  .map((rows) => rows.map((r, i) => service(`s${i}`, r.namespace, r.selector)));

describe('PodMates (which services may select the same pods)', () => {
  it('finds exactly the other services of the namespace whose selectors do not contradict', () => {
    fc.assert(
      fc.property(servicesArb, (services) => {
        const mates = new PodMates(services);
        const selector = (s: Service) => s.spec.selector ?? { app: s.metadata.name };
        for (const s of services) {
          const want = services
            .filter((o) => o !== s && o.metadata.namespace === s.metadata.namespace && selectorsMayShare(selector(s), selector(o)))
            .map((o) => o.metadata.name)
            .sort();
          expect([...mates.matesOf(s)].map((o) => o.metadata.name).sort()).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps an empty selector (selects every pod) a mate of every service in its namespace', () => {
    const all = service('all', 'x', {});
    const web = service('web', 'x', { app: 'web' });
    const other = service('other', 'y', {});
    const mates = new PodMates([all, web, other]);
    expect(mates.matesOf(web)).toEqual([all]);
    expect(mates.matesOf(all)).toEqual([web]);
  });
});
