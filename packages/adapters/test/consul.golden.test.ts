import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { translateConsul } from '../src/consul/index.js';
import { manifestsToYaml } from '../src/shared/yaml.js';
import { expectGolden } from './support/golden.js';
import { consulCases, diagnosticsToYaml, joinTestdata, loadBookstore, loadValid } from './consul-support.js';

describe('Consul translation (golden files)', () => {
  it('has a golden case for every feature file in testdata', () => {
    expect(consulCases().length).toBeGreaterThanOrEqual(10);
  });

  for (const name of consulCases()) {
    it(`translates ${name} into the reviewed config entries and diagnostics`, () => {
      const file = `packages/adapters/src/consul/testdata/${name}.input.yaml`;
      const set = loadValid(readFileSync(joinTestdata(`${name}.input.yaml`), 'utf8'), file);
      const out = translateConsul(set);
      expectGolden(joinTestdata(`${name}.consul.golden.yaml`), manifestsToYaml(out.manifests));
      expectGolden(joinTestdata(`${name}.diagnostics.golden.yaml`), diagnosticsToYaml(out.diagnostics));
    });
  }

  it('translates the whole bookstore example into the reviewed config entries and diagnostics', async () => {
    const out = translateConsul(await loadBookstore());
    expectGolden(joinTestdata('bookstore.consul.golden.yaml'), manifestsToYaml(out.manifests));
    expectGolden(joinTestdata('bookstore.diagnostics.golden.yaml'), diagnosticsToYaml(out.diagnostics));
  });

  it('gives byte-identical output when translating the same set twice', async () => {
    const set = await loadBookstore();
    expect(manifestsToYaml(translateConsul(set).manifests)).toBe(manifestsToYaml(translateConsul(set).manifests));
  });

  it('turns every gap into an error in strict mode', async () => {
    const out = translateConsul(await loadBookstore(), { strict: true });
    const gaps = out.diagnostics.filter((d) => d.code === 'AM4001' || d.code === 'AM4002');
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((d) => d.severity === 'error')).toBe(true);
  });
});
