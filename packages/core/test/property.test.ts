import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTexts, parseDocuments } from '../src/index.js';
import { checkText } from '../src/load/text-check.js';

describe('loader on arbitrary input', () => {
  it('never throws on arbitrary text and always answers with diagnostics that have a position', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const result = loadTexts([{ file: 'fuzz.yaml', text }]);
        for (const d of result.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.col).toBeGreaterThanOrEqual(1);
          expect(d.code).toMatch(/^AM\d{4}$/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on YAML-shaped noise built from YAML punctuation', () => {
    const token = fc.constantFrom(
      'a',
      ':',
      ' ',
      '\n',
      '-',
      '[',
      ']',
      '{',
      '}',
      '&x',
      '*x',
      '!!str',
      '---',
      '"',
      "'",
      '#',
      '|',
      '>',
      '  ',
      '? ',
      'kind: Service',
      'apiVersion: anymesh.io/v1alpha1',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), (tokens) => {
        loadTexts([{ file: 'fuzz.yaml', text: tokens.join('') }]);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary bytes and flags invalid UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const checked = checkText('fuzz.yaml', bytes);
        if ('text' in checked) parseDocuments({ file: 'fuzz.yaml', text: checked.text });
        else expect(checked.diagnostic.code).toBe('AM1004');
      }),
      { numRuns: 1000 },
    );
  });

  it('answers an alias bomb with AM1002 instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`,
      );
    const result = loadTexts([{ file: 'bomb.yaml', text: levels.join('\n') }]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['AM1002']);
  });

  it('answers absurdly deep nesting with a diagnostic instead of crashing', () => {
    const text = '['.repeat(20_000) + ']'.repeat(20_000);
    const result = loadTexts([{ file: 'deep.yaml', text }]);
    expect(result.valid).toBe(false);
  });
});
