import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, KINDS, SCHEMA_DIR, schemaOfKind, validateSchemas } from '../src/index.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** Every property schema of a JSON Schema, with its path. */
function properties(node: unknown, path: string, out: [string, Record<string, unknown>][] = []) {
  if (Array.isArray(node)) node.forEach((n, i) => properties(n, `${path}[${i}]`, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.properties && typeof o.properties === 'object') {
      for (const [k, v] of Object.entries(o.properties)) out.push([`${path}.${k}`, v as Record<string, unknown>]);
    }
    for (const [k, v] of Object.entries(o)) properties(v, `${path}/${k}`, out);
  }
  return out;
}

describe('schemas/', () => {
  it('has one draft 2020-12 schema per kind, with examples', () => {
    for (const kind of KINDS) {
      const schema = schemaOfKind(kind);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.title).toBe(kind);
      expect(Array.isArray(schema.examples) && schema.examples.length > 0, `${kind} has examples`).toBe(true);
    }
  });

  it('gives examples that are themselves valid', () => {
    for (const kind of KINDS) {
      const examples = schemaOfKind(kind).examples as unknown[];
      const pos = { file: kind, line: 1, col: 1 };
      const docs = examples.map((value) => ({ value, source: pos, positionOf: () => pos }));
      expect(validateSchemas(docs).diagnostics, `${kind} examples`).toEqual([]);
    }
  });

  it('documents every property with a description', () => {
    for (const file of readdirSync(SCHEMA_DIR)) {
      const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as unknown;
      for (const [path, prop] of properties(schema, file)) {
        expect(typeof prop.description === 'string' && prop.description.length > 3, `${path} needs a description`).toBe(true);
      }
    }
  });

  it('keeps the generated TypeScript types in step with the schemas', () => {
    // gen-types --check exits non-zero when packages/core/src/model/generated.ts differs from a fresh generation.
    expect(() => execFileSync('node', [join(root, 'scripts', 'gen-types.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('keeps docs/model-reference.md in step with the schemas', () => {
    expect(() => execFileSync('node', [join(root, 'scripts', 'gen-model-docs.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('documents every diagnostic code in docs/diagnostics.md', () => {
    const doc = readFileSync(join(root, 'docs', 'diagnostics.md'), 'utf8');
    for (const [code, name] of Object.entries(DIAGNOSTIC_CODES)) expect(doc, code).toContain(`| ${code} | ${name} |`);
  });
});
