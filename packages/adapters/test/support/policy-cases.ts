import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTexts, type Diagnostic, type LoadResult } from '@anymesh/core';
import { stringify } from 'yaml';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Loads policy files under names relative to the repo root, so diagnostics (and goldens) do not depend on the checkout path. */
export function loadFiles(files: readonly string[]): LoadResult {
  return loadTexts(files.map((file) => ({ file: relative(REPO_ROOT, file), text: readFileSync(file, 'utf8') })));
}

/** Loads a policy set from YAML text, as tests write it inline. */
export function loadYaml(text: string, file = 'case.yaml'): LoadResult {
  return loadTexts([{ file, text }]);
}

/** The bookstore example, every file, with its rollouts (kept apart so `anymesh up examples/bookstore` does not start them). */
export function loadBookstore(): LoadResult {
  const yamlIn = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => join(dir, f));
  return loadFiles([...yamlIn(join(REPO_ROOT, 'examples', 'bookstore')), ...yamlIn(join(REPO_ROOT, 'examples', 'rollouts'))]);
}

/** Golden cases of an adapter: `<dir>/<case>.input.yaml`. */
export function goldenCases(dir: string): { name: string; input: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.input.yaml'))
    .sort()
    .map((f) => ({ name: basename(f, '.input.yaml'), input: join(dir, f) }));
}

/** Diagnostics as they are kept in goldens: stable fields only, one YAML list. */
export function diagnosticsYaml(diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    at: `${d.file}:${d.line}:${d.col}`,
    object: d.object,
    path: d.path,
    feature: d.feature,
    message: d.message,
  }));
  return rows.length === 0 ? '[]\n' : stringify(rows, { lineWidth: 0 });
}
