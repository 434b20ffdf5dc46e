import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ManifestLike } from '../support/crd-validator.js';
import { applyErrors } from '../support/mesh-validation/index.js';

const MESHES = ['istio', 'linkerd', 'consul'] as const;

describe('every golden manifest applies: CRD schema, every CEL rule, and the mesh’s own validation', () => {
  for (const mesh of MESHES) {
    const dir = join(import.meta.dirname, '..', '..', 'src', mesh, 'testdata');
    for (const file of readdirSync(dir).filter((f) => f.endsWith(`.${mesh}.golden.yaml`))) {
      it(`${mesh}: ${file}`, () => {
        const errors = parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { version: '1.1' }).flatMap((doc) =>
          applyErrors(doc.toJS() as ManifestLike),
        );
        expect(errors).toEqual([]);
      });
    }
  }
});
