import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { CrdValidator, type ManifestLike } from './support/crd-validator.js';
import { loadBookstore } from './support/policy-cases.js';

const TESTDATA = join(import.meta.dirname, '..', 'src', 'linkerd', 'testdata');

describe('Linkerd output against the upstream Linkerd and Gateway API CRDs', () => {
  const validator = new CrdValidator();
  const goldens = readdirSync(TESTDATA).filter((f) => f.endsWith('.linkerd.golden.yaml'));

  it('has golden files to check', () => {
    expect(goldens.length).toBeGreaterThan(5);
  });

  for (const file of goldens) {
    it(`accepts every manifest of ${file}`, () => {
      const docs = parseAllDocuments(readFileSync(join(TESTDATA, file), 'utf8'), { version: '1.1' });
      for (const doc of docs) {
        const m = doc.toJS() as ManifestLike;
        expect(validator.validate(m), `${String(m.kind)} ${JSON.stringify(m.metadata)}`).toEqual([]);
      }
    });
  }

  it('accepts every manifest translated from the bookstore in memory, in strict mode too', () => {
    const { set } = loadBookstore();
    for (const strict of [false, true]) {
      for (const m of linkerdAdapter.translate(set, { strict }).manifests) {
        expect(validator.validate(m), `${m.kind} ${m.metadata.name}`).toEqual([]);
      }
    }
  });

  it('rejects a GAMMA route the upstream CRD forbids, so the checks above can fail', () => {
    const [route] = linkerdAdapter.translate(loadBookstore().set).manifests.filter((m) => m.kind === 'HTTPRoute');
    const broken = { ...route!, spec: { ...(route!.spec as object), rules: [{ timeouts: { request: '1.5s' } }] } };
    expect(validator.validate(broken).length).toBeGreaterThan(0);
  });
});
