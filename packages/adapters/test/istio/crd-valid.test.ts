import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { istioAdapter } from '../../src/index.js';
import { CrdValidator, type ManifestLike } from '../support/crd-validator.js';
import { loadBookstore } from '../support/policy-cases.js';

const TESTDATA = join(import.meta.dirname, '..', '..', 'src', 'istio', 'testdata');

describe('Istio output against the upstream Istio CRDs', () => {
  const validator = new CrdValidator();
  const goldens = readdirSync(TESTDATA).filter((f) => f.endsWith('.istio.golden.yaml'));

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

  it('evaluated every CEL rule it met on the goldens (none skipped for a missing CEL function)', () => {
    expect([...validator.unevaluatedRules]).toEqual([]);
  });

  it('accepts every manifest translated from the bookstore in memory, in strict mode too', () => {
    const { set } = loadBookstore();
    for (const strict of [false, true]) {
      for (const m of istioAdapter.translate(set, { strict }).manifests)
        expect(validator.validate(m), `${m.kind} ${m.metadata.name}`).toEqual([]);
    }
  });
});
