import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { translateConsul } from '../src/consul/index.js';
import { validateManifest } from './support/crd-validator.js';
import { consulCases, joinTestdata, loadBookstore, loadValid } from './consul-support.js';

describe('Consul manifests against the consul-k8s CRDs', () => {
  for (const name of consulCases()) {
    it(`generates only schema-valid config entries for ${name}`, () => {
      const set = loadValid(readFileSync(joinTestdata(`${name}.input.yaml`), 'utf8'), `${name}.input.yaml`);
      for (const m of translateConsul(set).manifests) expect(validateManifest(m), `${m.kind}/${m.metadata.name}`).toEqual([]);
    });
  }

  it('generates only schema-valid config entries for the bookstore', async () => {
    const manifests = translateConsul(await loadBookstore()).manifests;
    expect(manifests.length).toBeGreaterThan(20);
    for (const m of manifests) expect(validateManifest(m), `${m.kind}/${m.metadata.name}`).toEqual([]);
  });

  it('rejects a config entry with a misspelled field, so the checks above can fail', () => {
    const bad = {
      apiVersion: 'consul.hashicorp.com/v1alpha1',
      kind: 'ServiceRouter',
      metadata: { name: 'x', namespace: 'y' },
      spec: { rutes: [] },
    };
    expect(validateManifest(bad)).not.toEqual([]);
  });
});
