import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consulAdapter } from '../src/consul/index.js';
import { istioAdapter } from '../src/istio/index.js';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { edgeSetArb } from './support/edge-shapes.js';
import { rejectedNames, sharedNames } from './support/manifest-names.js';
import { loadYaml } from './support/policy-cases.js';

const RUNS = 150;

describe.each([istioAdapter, linkerdAdapter, consulAdapter])('$name generated names on edge-shaped policy sets', (adapter) => {
  it('never gives two objects one name, and never a name the API server rejects', () => {
    let valid = 0;
    fc.assert(
      fc.property(edgeSetArb, (yaml) => {
        const loaded = loadYaml(yaml, 'edge.yaml');
        fc.pre(loaded.valid);
        valid++;
        const { manifests } = adapter.translate(loaded.set);
        expect(sharedNames(manifests), yaml).toEqual([]);
        expect(rejectedNames(manifests), yaml).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    // The generator must produce mostly valid sets, or the property says little.
    expect(valid).toBeGreaterThan(RUNS / 2);
  }, 120_000);
});
