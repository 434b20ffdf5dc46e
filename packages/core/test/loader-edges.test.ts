import { describe, expect, it } from 'vitest';
import { loadTexts, MAX_NESTING_DEPTH } from '../src/index.js';

const SERVICE = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews }
spec:
  ports: [{ port: 9080 }]
`;

const load = (text: string) => loadTexts([{ file: 'x.yaml', text }]);
const codes = (text: string) => load(text).diagnostics.map((d) => `${d.code} ${d.path} ${d.line}:${d.col}`);

describe('loader: empty documents', () => {
  it('accepts a file that ends with ---, as kubectl does', () => {
    const result = load(`${SERVICE}---\n`);
    expect(result.diagnostics).toEqual([]);
    expect(result.set.objects).toHaveLength(1);
  });

  it('skips an empty document (comments only) between two separators', () => {
    const result = load(`${SERVICE}---\n# nothing here\n---\n${SERVICE.replace('reviews', 'ratings')}`);
    expect(result.diagnostics).toEqual([]);
    expect(result.set.objects.map((o) => o.object.metadata.name)).toEqual(['reviews', 'ratings']);
  });

  it('reads a file of only separators as valid and empty, like an empty file', () => {
    for (const text of ['---\n---\n', '---\n', '--- # a comment\n...\n', '']) {
      const result = load(text);
      expect(result.diagnostics, JSON.stringify(text)).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.set.objects).toEqual([]);
    }
  });

  it('still refuses a document that says null explicitly', () => {
    expect(load('--- null\n').diagnostics.map((d) => d.code)).toEqual(['AM1006']);
    expect(load('---\n~\n').diagnostics.map((d) => d.code)).toEqual(['AM1006']);
  });
});

describe('loader: nesting depth', () => {
  it(`refuses 20,000 nested flow sequences with AM1011 at the first level beyond ${MAX_NESTING_DEPTH}, not a stack overflow`, () => {
    const text = `${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    expect(codes(text)).toEqual([`AM1011  1:${MAX_NESTING_DEPTH + 1}`]);
  });

  it('refuses 20,000 nested block sequences and flow mappings the same way', () => {
    expect(codes(`${'- '.repeat(20_000)}x\n`).map((c) => c.split(' ')[0])).toEqual(['AM1011']);
    expect(codes(`${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`).map((c) => c.split(' ')[0])).toEqual(['AM1011']);
  });

  it(`reads ${MAX_NESTING_DEPTH} levels and refuses ${MAX_NESTING_DEPTH + 1}`, () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}\n`;
    // A sequence is not a policy (AM1006), but it was read: the limit is exactly MAX_NESTING_DEPTH.
    expect(load(nested(MAX_NESTING_DEPTH)).diagnostics.map((d) => d.code)).toEqual(['AM1006']);
    expect(load(nested(MAX_NESTING_DEPTH + 1)).diagnostics.map((d) => d.code)).toEqual(['AM1011']);
  });

  it('keeps the other documents of a file with a too-deep one', () => {
    const result = load(`${SERVICE}---\n${'['.repeat(500)}${']'.repeat(500)}\n---\n${SERVICE.replace('reviews', 'ratings')}`);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([['AM1011', 7]]);
    expect(result.set.objects.map((o) => o.object.metadata.name)).toEqual(['reviews', 'ratings']);
  });
});

describe('loader: duplicate keys', () => {
  it('names the repeated key, its path and where it was first written', () => {
    const text = `${SERVICE}  versions:\n    v1: { labels: { version: v1 } }\n  ports: [{ port: 9081 }]\n`;
    const [d, ...rest] = load(text).diagnostics;
    expect(rest).toEqual([]);
    expect([d!.code, d!.path, d!.line, d!.col]).toEqual(['AM1009', 'spec.ports', 8, 3]);
    expect(d!.message).toContain('key "ports" appears twice in spec (first at line 5, column 3)');
  });

  it('names a key repeated at the top of a document and inside a list item', () => {
    expect(load('kind: Service\nkind: Mesh\n').diagnostics[0]!.message).toContain('key "kind" appears twice in the document');
    const inList = load(`${SERVICE.replace('[{ port: 9080 }]', '[{ port: 9080, port: 9081 }]')}`).diagnostics[0]!;
    expect([inList.path, inList.message]).toEqual([
      'spec.ports[0].port',
      expect.stringContaining('key "port" appears twice in spec.ports[0]'),
    ]);
  });
});
