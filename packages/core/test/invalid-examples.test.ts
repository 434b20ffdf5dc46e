import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicies } from '../src/index.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'examples', 'invalid');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

/** The first line of each invalid example: `# expect: CODE field.path` (`-` for a file-level finding). */
function expectation(file: string): { code: string; path: string } {
  const first = readFileSync(join(dir, file), 'latin1').split('\n')[0]!;
  const m = /^# expect: (AM\d{4}) (\S+)$/.exec(first);
  if (!m) throw new Error(`${file}: first line must be "# expect: CODE path"`);
  return { code: m[1]!, path: m[2] === '-' ? '' : m[2]! };
}

/** The line where a dotted field path's last key or item is written (a rough locator, good for these small files). */
function lineOfLastKey(text: string, path: string): number | undefined {
  const last = /([A-Za-z0-9_-]+)$/.exec(path)?.[1];
  if (!last) return undefined;
  const lines = text.split('\n');
  const idx = lines.findLastIndex((l) => new RegExp(`(^|[\\s{,-])${last}:`).test(l));
  return idx === -1 ? undefined : idx + 1;
}

describe('examples/invalid', () => {
  it('has one file per validation error code', () => {
    const codes = files.map((f) => expectation(f).code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThanOrEqual(28);
  });

  for (const file of files) {
    const { code, path } = expectation(file);
    it(`${file} yields exactly ${code}${path ? ` at ${path}` : ''}`, async () => {
      const result = await loadPolicies([join(dir, file)]);
      expect(result.diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual([`${code} ${path}`]);
      const d = result.diagnostics[0]!;
      expect(d.file).toBe(join(dir, file));
      expect(d.message.length).toBeGreaterThan(20);
      if (path) {
        const line = lineOfLastKey(readFileSync(join(dir, file), 'utf8'), path);
        if (line !== undefined) expect(d.line).toBe(line);
      }
    });
  }
});
