import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { buildPolicySet, type PolicySet } from '../model/policy-set.js';
import { validateSchemas } from '../validate/schema-validator.js';
import { checkPolicySet } from '../validate/validate.js';
import { parseDocuments } from './parse-documents.js';
import { readSources, type ReadOptions, type SourceText } from './read-files.js';

export interface LoadResult {
  /** The schema-valid objects, indexed. Objects that failed the schema are left out (and reported). */
  readonly set: PolicySet;
  readonly diagnostics: readonly Diagnostic[];
  /** True when there is no error (warnings allowed). */
  readonly valid: boolean;
}

/** Parses and validates texts already in memory (the dashboard's editor, tests). */
export function loadTexts(sources: readonly SourceText[], extra: readonly Diagnostic[] = []): LoadResult {
  const diagnostics: Diagnostic[] = [...extra];
  const documents = sources.flatMap((s) => {
    const parsed = parseDocuments(s);
    diagnostics.push(...parsed.diagnostics);
    return parsed.documents;
  });
  const { objects, diagnostics: schemaDiagnostics } = validateSchemas(documents);
  diagnostics.push(...schemaDiagnostics);
  const set = buildPolicySet(objects);
  diagnostics.push(...checkPolicySet(set));
  const sorted = sortDiagnostics(diagnostics);
  return { set, diagnostics: sorted, valid: !hasErrors(sorted) };
}

/** Loads files, directories and `-` (stdin), then validates: schema, then semantic checks. */
export async function loadPolicies(paths: readonly string[], options: ReadOptions = {}): Promise<LoadResult> {
  const { sources, diagnostics } = await readSources(paths, options);
  if (paths.length === 0 || (sources.length === 0 && diagnostics.length === 0)) {
    diagnostics.push({
      code: 'AM1010',
      severity: 'error',
      file: paths.join(' ') || '.',
      line: 1,
      col: 1,
      path: '',
      message: 'no policy files found (looked for *.yaml, *.yml and *.json); name a file or a directory that holds some',
    });
  }
  return loadTexts(sources, diagnostics);
}
