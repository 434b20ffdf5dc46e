import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTexts, type FieldPath, type LoadedDocument } from '../src/index.js';
import { parseDocuments, parseWithYamlLibrary, type ParsedDocuments } from '../src/load/parse-documents.js';
import { readFastYaml } from '../src/load/js-yaml-reader.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Every YAML and JSON file of the repository (policies, examples, testdata, goldens, CRDs). */
function repositoryFiles(dir = ROOT, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) repositoryFiles(path, found);
    else if (/\.(ya?ml|json)$/.test(entry.name)) found.push(path);
  }
  return found;
}

/** Every path to a node of a value, and one missing field under each mapping. */
function pathsOf(value: unknown, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
    out.push([...prefix, 'not-a-field', 0]);
  }
  return out;
}

function snapshot(parsed: ParsedDocuments) {
  const where = (doc: LoadedDocument) => pathsOf(doc.value).map((path) => ({ path, at: doc.positionOf(path) }));
  return {
    diagnostics: parsed.diagnostics,
    documents: parsed.documents.map((doc) => ({ value: doc.value, source: doc.source, where: where(doc) })),
  };
}

/** The fast reader either declines the text or gives what the `yaml` library gives: values, sources, every position. */
function expectSameAsYamlLibrary(file: string, text: string): boolean {
  const plain = readFastYaml(text);
  if (!plain) return false;
  const library = parseWithYamlLibrary({ file, text });
  expect(library.diagnostics, `${file}: the fast reader accepted a file with findings`).toEqual([]);
  expect(snapshot(parseDocuments({ file, text })), file).toEqual(snapshot(library));
  return true;
}

const SERVICE = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions:
    v1: { labels: { version: v1 } }
    v2:
      labels:
        version: v2
`;

const ROUTE = `apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: shop }
spec:
  service: reviews
  rules:
    - name: beta
      matches:
        - headers: { x-user: { exact: beta } }
          path: { prefix: /api }
      destinations:
        - { version: v1, weight: 90 }
        - version: v2
          weight: 10
      timeout: 1.5s
      retries: { attempts: 3, on: [5xx, reset] }
---
apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: mesh }
spec: {}
`;

describe('fast YAML reader (js-yaml)', () => {
  it('reads the policies of the repository as the yaml library does, values and positions', () => {
    const files = repositoryFiles();
    const accepted = files.filter((file) => expectSameAsYamlLibrary(relative(ROOT, file), readFileSync(file, 'utf8')));
    // The examples and adapter inputs are the subset's purpose: most of them must take the fast path.
    const inputs = files.filter((f) => /examples\/.*\.yaml$|\.input\.yaml$/.test(f));
    expect(accepted.filter((f) => inputs.includes(f)).length).toBeGreaterThan(inputs.length / 2);
  });

  it('agrees with the yaml library on the corner cases it accepts, and refuses the others', () => {
    const cases = [
      SERVICE,
      `# leading comment\n\n${SERVICE}# trailing\n`,
      `---\n${SERVICE}---\n---\n${SERVICE}`,
      `a: 1\nb: -0\nc: +12\nd: 0o17\ne: 0x1F\nf: .5\ng: 1.50\nh: 1e3\ni: -.inf\nj: .NaN\nk: ~\nl: Null\nm: TRUE\nn: False\no: 5xx\np: 1s\n`,
      `a: 'it''s'\nb: "x y"\nc: ''\nd: ""\ne: http://x:80/y\nf: a#b\ng: x # c\n"quoted key": 1\n'single': 2\n`,
      `a:\n- x\n- y\nb:\n  - { k: [1, [2, {}], []] }\n  -   c: 1\n      d: 2\n  -\n    e: 3\n`,
      `a: { b: 1, c: "d" }\ns: [a b, 'c', "d"]\nz: [-5, +3, .5]\n`,
      `a:\n  # comment between\n  b: 1\n\n  c:\n    d: 2\n`,
      `key:\n`,
      `'a''b': 1\n"c d": [x, { "e f": 1, 'g''h': [2] }]\nz:\n  'q''r':\n    - 1\n`,
      `"1": x\n`,
      `a: b: c\n`,
      `a: [1, 2\n  ]\n`,
      `a: x\n  y\n`,
      `a: 1\na: 2\n`,
      `a: &x 1\nb: *x\n`,
      `a: |\n  text\n`,
      `a: "\\n"\n`,
      `a:\tb\n`,
      `a: 1\r\nb: 2\r\n`,
      `- a\n- b\n`,
      `a: 1\n  b: 2\n`,
      `a:\n    b: 1\n  c: 2\n`,
      `{a: 1}\n`,
      `a: [a, ]\n`,
      `a: {b:c}\n`,
      `a: [-, b]\n`,
      `true: 1\n`,
      `1: x\n`,
      `__proto__: x\n`,
      `toString: 1\nconstructor: 2\n`,
      `a: 'x'y\n`,
      `a: "x"#c\n`,
      `a: [1]x\n`,
      `--- a: 1\n`,
      `%YAML 1.2\n---\na: 1\n`,
      `a: 1\n...\n`,
      `a: café\n`,
      `- - a\n`,
      `a:\n  - b\n  -\n`,
      `a: - b\n`,
      `a: ? b\n`,
      `a: :b\n`,
      `a: -b\n`,
      `a: ?b\n`,
      `a: b:\n`,
      `a:b\n`,
      `a : b\n`,
      `a: x\nb:\n- c\n  d: 1\n`,
      `l:\n- a: 1\n  b:\n  - x\n`,
      `a: 99999999999999999999\nb: 007\nc: 1_000\n`,
    ];
    const accepted = cases.filter((text) => expectSameAsYamlLibrary('case.yaml', text));
    expect(accepted).toContain(SERVICE);
    expect(accepted).not.toContain(`a: 1\na: 2\n`);
  });

  it('agrees with the yaml library on random edits of policy files', () => {
    const bases = [SERVICE, ROUTE];
    const edit = fc.record({
      at: fc.nat({ max: Math.max(...bases.map((b) => b.length)) }),
      cut: fc.nat({ max: 3 }),
      insert: fc.array(
        fc.constantFrom(
          ' ',
          '  ',
          '\n',
          '\n  ',
          ':',
          '- ',
          '-',
          '#',
          "'",
          '"',
          '{',
          '}',
          '[',
          ']',
          ',',
          'a',
          '0',
          '1',
          '.',
          'e',
          '~',
          '?',
          '|',
          '>',
          '\\',
          '---\n',
        ),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.array(edit, { minLength: 1, maxLength: 3 }), (base, edits) => {
        let text = base;
        for (const e of edits) text = text.slice(0, e.at) + e.insert.join('') + text.slice(e.at + e.cut);
        expectSameAsYamlLibrary('edited.yaml', text);
      }),
      { numRuns: Number(process.env['YAML_FUZZ_RUNS'] ?? 3000) },
    );
  });

  it('names the line and field of a finding deep in a large file of many documents', () => {
    const documents = Array.from({ length: 2000 }, (_, i) => SERVICE.replace('name: reviews', `name: svc-${i}`));
    documents[1733] = documents[1733]!.replace('protocol: http', 'protocol: htp');
    const text = documents.join('---\n');
    expect(readFastYaml(text)).toBeDefined();
    const [finding, ...others] = loadTexts([{ file: 'large.yaml', text }]).diagnostics;
    expect(others).toEqual([]);
    const line = 1733 * SERVICE.split('\n').length + 5;
    expect(text.split('\n')[line - 1]).toContain('protocol: htp');
    expect(finding).toMatchObject({
      code: 'AM2004',
      file: 'large.yaml',
      line,
      path: 'spec.ports[0].protocol',
      object: 'Service/shop/svc-1733',
    });
    expect(finding!.col).toBe(text.split('\n')[line - 1]!.indexOf('protocol') + 1);
  });
});
