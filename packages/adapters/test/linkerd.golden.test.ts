import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestsToYaml } from '../src/index.js';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { expectGolden } from './support/golden.js';
import { diagnosticsYaml, goldenCases, loadBookstore, loadFiles } from './support/policy-cases.js';

const TESTDATA = join(import.meta.dirname, '..', 'src', 'linkerd', 'testdata');

describe('Linkerd translation goldens', () => {
  it('has a golden case per feature family', () => {
    expect(goldenCases(TESTDATA).length).toBeGreaterThanOrEqual(10);
  });

  for (const c of goldenCases(TESTDATA)) {
    it(`translates ${c.name} as recorded in its golden files`, () => {
      const loaded = loadFiles([c.input]);
      expect(
        loaded.diagnostics.filter((d) => d.severity === 'error'),
        'the input itself must be valid',
      ).toEqual([]);
      const out = linkerdAdapter.translate(loaded.set);
      expectGolden(join(TESTDATA, `${c.name}.linkerd.golden.yaml`), manifestsToYaml(out.manifests));
      expectGolden(join(TESTDATA, `${c.name}.diagnostics.golden.yaml`), diagnosticsYaml(out.diagnostics));
    });
  }

  it('translates the whole bookstore example as recorded in its golden files', () => {
    const loaded = loadBookstore();
    expect(loaded.valid).toBe(true);
    const out = linkerdAdapter.translate(loaded.set);
    expectGolden(join(TESTDATA, 'bookstore.linkerd.golden.yaml'), manifestsToYaml(out.manifests));
    expectGolden(join(TESTDATA, 'bookstore.diagnostics.golden.yaml'), diagnosticsYaml(out.diagnostics));
  });

  it('produces byte-identical output when translating twice', () => {
    const { set } = loadBookstore();
    expect(manifestsToYaml(linkerdAdapter.translate(set).manifests)).toBe(manifestsToYaml(linkerdAdapter.translate(set).manifests));
  });
});
