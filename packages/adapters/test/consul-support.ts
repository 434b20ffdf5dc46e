import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicies, loadTexts, type Diagnostic, type PolicySet } from '@anymesh/core';
import { stringify } from 'yaml';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CONSUL_TESTDATA = resolve(REPO_ROOT, 'packages/adapters/src/consul/testdata');
export const BOOKSTORE = resolve(REPO_ROOT, 'examples/bookstore');
/** The bookstore's rollouts live beside it (`anymesh up examples/bookstore` must not start them). */
export const BOOKSTORE_ROLLOUTS = resolve(REPO_ROOT, 'examples/rollouts');

export function consulCases(): string[] {
  return readdirSync(CONSUL_TESTDATA)
    .filter((f) => f.endsWith('.input.yaml'))
    .map((f) => f.slice(0, -'.input.yaml'.length))
    .sort();
}

/** Loads a policy set and fails loudly if it is not valid: golden cases must be valid input. */
export function loadValid(text: string, file: string): PolicySet {
  const result = loadTexts([{ file, text }]);
  if (!result.valid) throw new Error(`${file} is not valid: ${JSON.stringify(result.diagnostics, null, 2)}`);
  return result.set;
}

export async function loadBookstore(): Promise<PolicySet> {
  const result = await loadPolicies([BOOKSTORE, BOOKSTORE_ROLLOUTS]);
  if (!result.valid) throw new Error(`bookstore is not valid: ${JSON.stringify(result.diagnostics, null, 2)}`);
  return result.set;
}

/** Diagnostics as golden YAML, with file names relative to the repository so goldens are portable. */
export function diagnosticsToYaml(diagnostics: readonly Diagnostic[]): string {
  const portable = diagnostics.map((d) => ({ ...d, file: relative(REPO_ROOT, resolve(REPO_ROOT, d.file)) }));
  return stringify(portable, { lineWidth: 0 });
}

export function joinTestdata(name: string): string {
  return join(CONSUL_TESTDATA, name);
}
