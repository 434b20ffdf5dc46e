import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '@anymesh/core';
import { ADAPTERS } from '../src/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const doc = () => readFileSync(join(root, 'docs', 'capabilities.md'), 'utf8');

/** The cells of a markdown table row, split on unescaped pipes. */
const cells = (row: string) =>
  row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

describe('docs/capabilities.md', () => {
  it('is exactly what `pnpm gen:capabilities` generates from the built packages', () => {
    // The script reads packages/*/dist, as CI does after `pnpm build`.
    expect(() => execFileSync('node', [join(root, 'scripts', 'gen-capabilities-doc.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('states every adapter’s level and note for every feature as its capabilities.ts does (also with a stale build)', () => {
    const details = doc().split('## Details')[1]!.trim().split('\n');
    const header = cells(details[0]!);
    const rows = new Map(details.slice(2).map((line) => [/^\| `([^`]+)`/.exec(line)![1]!, cells(line)]));
    expect([...rows.keys()]).toEqual(FEATURE_NAMES);
    for (const adapter of ADAPTERS) {
      const column = header.indexOf(adapter.name);
      expect(column, `a column for ${adapter.name}`).toBeGreaterThan(0);
      for (const feature of FEATURE_NAMES) {
        const { level, note } = adapter.capabilities[feature];
        expect(rows.get(feature)![column], `${adapter.name} ${feature}`).toBe(`**${level}**: ${note.replaceAll('|', '\\|')}`);
      }
    }
  });
});
