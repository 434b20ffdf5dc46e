import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { istioAdapter, manifestsToYaml } from '../../src/index.js';
import { expectGolden } from '../support/golden.js';
import { diagnosticsYaml, goldenCases, loadBookstore, loadFiles } from '../support/policy-cases.js';

const TESTDATA = join(import.meta.dirname, '..', '..', 'src', 'istio', 'testdata');

describe('Istio translation goldens', () => {
  for (const c of goldenCases(TESTDATA)) {
    it(`translates ${c.name} as recorded in its golden files`, () => {
      const loaded = loadFiles([c.input]);
      expect(
        loaded.diagnostics.filter((d) => d.severity === 'error'),
        'the input itself must be valid',
      ).toEqual([]);
      const out = istioAdapter.translate(loaded.set);
      expectGolden(join(TESTDATA, `${c.name}.istio.golden.yaml`), manifestsToYaml(out.manifests));
      expectGolden(join(TESTDATA, `${c.name}.diagnostics.golden.yaml`), diagnosticsYaml(out.diagnostics));
    });
  }

  it('translates the whole bookstore example as recorded in its golden files', () => {
    const loaded = loadBookstore();
    expect(loaded.valid).toBe(true);
    const out = istioAdapter.translate(loaded.set);
    expectGolden(join(TESTDATA, 'bookstore.istio.golden.yaml'), manifestsToYaml(out.manifests));
    expectGolden(join(TESTDATA, 'bookstore.diagnostics.golden.yaml'), diagnosticsYaml(out.diagnostics));
  });

  it('produces byte-identical output when translating twice', () => {
    const { set } = loadBookstore();
    expect(manifestsToYaml(istioAdapter.translate(set).manifests)).toBe(manifestsToYaml(istioAdapter.translate(set).manifests));
  });
});
