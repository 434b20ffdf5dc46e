import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { adapterFor, type Manifest } from '../src/index.js';
import { plainManifestYaml } from '../src/shared/plain-yaml-writer.js';
import { MANIFEST_YAML_OPTIONS } from '../src/shared/yaml.js';
import { generateModel } from '../bench/model.js';
import { loadBookstore, loadFiles } from './support/policy-cases.js';
import { loadTexts } from '@anymesh/core';

const SRC = join(import.meta.dirname, '..', 'src');
const MESHES = ['istio', 'linkerd', 'consul'] as const;

/** The writer either declines or writes what the yaml library writes, byte for byte. */
function expectSameAsYamlLibrary(manifest: unknown): boolean {
  const written = plainManifestYaml(manifest);
  if (written === undefined) return false;
  expect(written).toBe(stringify(manifest, MANIFEST_YAML_OPTIONS));
  return true;
}

function translations(): Manifest[] {
  const inputs = MESHES.flatMap((mesh) =>
    readdirSync(join(SRC, mesh, 'testdata'))
      .filter((f) => f.endsWith('.input.yaml'))
      .map((f) => join(SRC, mesh, 'testdata', f)),
  );
  const sets = [...inputs.map((input) => loadFiles([input]).set), loadBookstore().set];
  return sets.flatMap((set) => MESHES.flatMap((mesh) => [...adapterFor(mesh)!.translate(set).manifests]));
}

describe('plain manifest YAML writer', () => {
  it('writes every manifest of the adapters testdata and the bookstore as the yaml library does, or declines', () => {
    const manifests = translations();
    const written = manifests.filter(expectSameAsYamlLibrary);
    expect(written.length).toBeGreaterThan(manifests.length / 2);
  });

  it('writes every manifest of the generated scale model itself', () => {
    const { set } = loadTexts(generateModel({ services: 40 }));
    for (const mesh of MESHES) {
      const manifests = adapterFor(mesh)!.translate(set).manifests;
      expect(manifests.filter(expectSameAsYamlLibrary)).toHaveLength(manifests.length);
    }
  });

  it('agrees with the yaml library on strings that YAML 1.1 reads as something else, and on odd shapes', () => {
    const tricky = [
      'yes',
      'No',
      'on',
      'OFF',
      'y',
      'n',
      'true',
      'null',
      '~',
      '',
      ' ',
      '-',
      '-1',
      '+1',
      '0x1F',
      '0b101',
      '017',
      '1_000',
      '1:20',
      '1:20:30',
      '.5',
      '1e3',
      '.inf',
      '2001-12-14',
      '2001-12-14t21:59:43.10-05:00',
      '=',
      '<<',
      'a: b',
      'a:',
      ':a',
      'a :b',
      ',a',
      'a,b',
      'a b',
      'a  b',
      ' a',
      'a ',
      '---',
      '--- a',
      '...',
      'a\nb',
      'a#b',
      'a #b',
      '#a',
      'é',
      'a"b',
      "a'b",
      '?',
      '?a',
      'x-user',
      '*',
      'a*',
      'a"b',
      '{"x":1}',
      'x == "v1"',
      "it's",
      'a"b\'c',
      '%a',
      '@a',
      '`a',
      '!a',
      '&a',
      '|',
      '>',
      'a\\b',
      '[a]',
      'a]',
      'a{b}',
      '- a',
      '? a',
      '#',
      'a#',
      'x'.repeat(1200),
      'v1.2.3',
    ];
    for (const s of tricky) {
      expectSameAsYamlLibrary({ key: s, [s]: 1, list: [s, { [s]: s }] });
    }
    const shapes: unknown[] = [
      { a: [] },
      { a: {} },
      { a: [[], {}] },
      { a: [[1]] },
      { a: [{ b: { c: [1, { d: null }] } }, 2] },
      { a: -0 },
      { a: 1.5 },
      { a: NaN },
      { a: 1e21 },
      { a: true },
      { a: undefined },
      { a: new Date(0) },
      { 1: 'x', b: 'y' },
      {},
    ];
    for (const shape of shapes) expectSameAsYamlLibrary(shape);
  });

  it('agrees with the yaml library on random manifests', () => {
    const text = fc.string({
      unit: fc.constantFrom(
        'a',
        'Y',
        '1',
        '0',
        '.',
        '-',
        ':',
        ' ',
        ',',
        '_',
        '/',
        '=',
        '+',
        'e',
        'x',
        'n',
        'o',
        '"',
        "'",
        '*',
        '#',
        '{',
        '[',
        '!',
        '%',
        '?',
        '\\',
        '\n',
        'é',
      ),
      maxLength: 8,
    });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 3 }),
      map: fc.dictionary(text, tie('node'), { maxKeys: 3 }),
    }));
    fc.assert(
      fc.property(value.map, (manifest) => {
        expectSameAsYamlLibrary(manifest);
      }),
      { numRuns: 3000 },
    );
  });
});
