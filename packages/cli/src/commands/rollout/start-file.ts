import { hasErrors, parseDocuments, readSources, sortDiagnostics, validateSchemas, type Diagnostic, type SourceText } from '@anymesh/core';
import { readStdin } from '../../output.js';

/**
 * The file `rollout start -f` sends; or the diagnostics (file, line, field, as `anymesh validate` prints them) that
 * say why it cannot be sent; or, for a file that is valid but not one Rollout, a sentence naming the file.
 */
export type StartFile = { readonly source: SourceText } | { readonly diagnostics: readonly Diagnostic[] } | { readonly problem: string };

/**
 * Reads `path` (or stdin for `-`) and checks what can be checked without the policies in force: it parses, holds
 * exactly one document, and that document is a schema-valid Rollout. References (the service, its versions) are
 * the control plane's to check against the policies it has (it answers 422 with diagnostics).
 */
export async function readStartFile(path: string): Promise<StartFile> {
  const read = await readSources([path], { readStdin });
  if (read.diagnostics.length > 0) return { diagnostics: read.diagnostics };
  const [source, ...more] = read.sources;
  if (source === undefined || more.length > 0) {
    return { problem: `${path} holds ${read.sources.length} policy files; rollout start takes one file holding one Rollout` };
  }
  const parsed = parseDocuments(source);
  const schema = validateSchemas(parsed.documents);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...schema.diagnostics]);
  if (hasErrors(diagnostics)) return { diagnostics };
  if (parsed.documents.length !== 1) {
    return {
      problem: `${source.file} holds ${parsed.documents.length} documents; rollout start takes a file holding exactly one Rollout (apply the other policies with anymesh apply)`,
    };
  }
  const object = schema.objects[0]?.object;
  if (object?.kind !== 'Rollout') {
    return {
      problem: `${source.file}:${parsed.documents[0]!.source.line}: a ${object?.kind ?? 'document'}, not a Rollout; apply other policies with anymesh apply`,
    };
  }
  return { source };
}
