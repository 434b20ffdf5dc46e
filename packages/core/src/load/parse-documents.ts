import type { CST, Document, LineCounter } from 'yaml';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { formatFieldPath } from '../diagnostics/field-path.js';
import type { LoadedDocument } from '../model/kinds.js';
import { duplicateKeyAt } from './duplicate-key.js';
import { MAX_NESTING_DEPTH, tooDeepAt } from './nesting-depth.js';
import { lineIndexOf, positionIn, type Place } from './place.js';
import { readFastYaml, type FastDocument } from './js-yaml-reader.js';
import type { SourceText } from './read-files.js';
import { yamlLib } from './yaml-lib.js';

/** Aliases beyond this count are refused: YAML "billion laughs" bombs expand exponentially. */
export const MAX_ALIAS_COUNT = 100;

type At = (offset: number) => SourcePosition;

/**
 * Parses every YAML (or JSON) document of a file, keeping positions. Syntax errors, duplicate keys,
 * alias bombs and nesting beyond `MAX_NESTING_DEPTH` become diagnostics; the other documents of the file
 * are still returned. Empty documents (a trailing `---`, `---` twice) are skipped, as kubectl does.
 */
export function parseDocuments(source: SourceText): ParsedDocuments {
  const fast = readFastYaml(source.text);
  return fast ? { documents: fastDocuments(source, fast), diagnostics: [] } : parseWithYamlLibrary(source);
}

export interface ParsedDocuments {
  readonly documents: LoadedDocument[];
  readonly diagnostics: Diagnostic[];
}

/** `parseDocuments` by the `yaml` library alone, for every file: what the fast reader must agree with. */
export function parseWithYamlLibrary(source: SourceText): ParsedDocuments {
  const { Composer, LineCounter, Parser } = yamlLib();
  const lineCounter: LineCounter = new LineCounter();
  const documents: LoadedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const at: At = (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: source.file, line, col };
  };
  // parseAllDocuments, with a depth check of each document's syntax tree before the composer recurses into it.
  const composer = new Composer({ uniqueKeys: true, strict: true });
  const composed: Document.Parsed[] = [];
  try {
    for (const token of new Parser(lineCounter.addNewLine).parse(source.text)) {
      composed.push(...composer.next(token.type === 'document' ? depthChecked(token, at, diagnostics) : token));
    }
    composed.push(...composer.end());
  } catch (error) {
    // Not expected after the depth check; still a finding about this file, not a crash of the command.
    diagnostics.push(fileError(source.file, `cannot parse: ${(error as Error).message}`));
    return { documents, diagnostics };
  }
  for (const doc of composed) {
    const loaded = documentOf(doc, at, diagnostics);
    if (loaded) documents.push(loaded);
  }
  return { documents, diagnostics };
}

/** The documents of a file the fast reader read; a line index is built when a position is first asked. */
function fastDocuments(source: SourceText, fast: readonly FastDocument[]): LoadedDocument[] {
  const lineOf = lineIndexOf(source.text);
  const at: At = (offset) => ({ file: source.file, ...lineOf(offset) });
  return fast.map((doc) => ({ value: doc.value, source: at(doc.start), positionOf: (path) => at(doc.offsetOf(path)) }));
}

/** The document, or (when it nests too deep) an empty one in its place and a diagnostic. */
function depthChecked(token: CST.Document, at: At, diagnostics: Diagnostic[]): CST.Document {
  const offset = tooDeepAt(token);
  if (offset === undefined) return token;
  diagnostics.push({
    code: 'AM1011',
    severity: 'error',
    ...at(offset),
    path: '',
    message: `mappings and sequences nest more than ${MAX_NESTING_DEPTH} deep here; anymesh reads at most ${MAX_NESTING_DEPTH} levels: flatten the document`,
  });
  const { value: _tooDeep, ...empty } = token;
  return empty;
}

function documentOf(doc: Document.Parsed, at: At, diagnostics: Diagnostic[]): LoadedDocument | undefined {
  if (doc.errors.length > 0) {
    for (const err of doc.errors) diagnostics.push(parseError(doc, err, at));
    return undefined;
  }
  if (isEmpty(doc)) return undefined;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = (error as Error).message;
    const isAlias = /alias/i.test(message);
    diagnostics.push({
      code: isAlias ? 'AM1002' : 'AM1001',
      severity: 'error',
      ...at(rangeStart(doc.contents) ?? 0),
      path: '',
      message: isAlias
        ? `document expands too many YAML aliases (more than ${MAX_ALIAS_COUNT}); this looks like an alias bomb: write the values out or use fewer aliases`
        : `cannot read document: ${firstLine(message)}`,
    });
    return undefined;
  }
  const start = at(rangeStart(doc.contents) ?? 0);
  // Only the offsets are kept, not the parsed tree: at scale the trees were most of the loaded model's memory.
  const place = placeOf(doc.contents);
  return { value, source: start, positionOf: (path) => positionIn(place, path, at) ?? start };
}

/** Nothing but comments and blank lines between separators; an explicit `null` or `~` is not empty. */
function isEmpty(doc: Document.Parsed): boolean {
  const { isScalar } = yamlLib();
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && doc.contents.source === '');
}

function parseError(doc: Document.Parsed, err: { code: string; message: string; pos: [number, number] }, at: At): Diagnostic {
  const pos = at(err.pos[0]);
  if (err.code !== 'DUPLICATE_KEY')
    return { code: 'AM1001', severity: 'error', ...pos, path: '', message: `YAML syntax error: ${firstLine(err.message)}` };
  const found = duplicateKeyAt(doc, err.pos[0]);
  if (!found) {
    return {
      code: 'AM1009',
      severity: 'error',
      ...pos,
      path: '',
      message: `${firstLine(err.message)}; a key may appear once per mapping: remove or rename the repeated key`,
    };
  }
  const first = found.firstAt === undefined ? '' : ` (first at line ${at(found.firstAt).line}, column ${at(found.firstAt).col})`;
  const where = found.path.length === 0 ? 'the document' : formatFieldPath(found.path);
  return {
    code: 'AM1009',
    severity: 'error',
    ...pos,
    path: formatFieldPath([...found.path, found.key]),
    message: `key ${JSON.stringify(found.key)} appears twice in ${where}${first}; a key may appear once per mapping: remove or rename one`,
  };
}

function placeOf(node: unknown): Place {
  const { isMap, isPair, isScalar, isSeq } = yamlLib();
  if (isMap(node)) {
    const entries = new Map<string, { key: number | undefined; value: Place }>();
    for (const p of node.items) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      const name = String(p.key.value);
      if (!entries.has(name)) entries.set(name, { key: rangeStart(p.key), value: placeOf(p.value) });
    }
    return { start: rangeStart(node), entries };
  }
  if (isSeq(node)) return { start: rangeStart(node), items: node.items.map(placeOf) };
  // A pair inside a sequence (`[a: 1]`) has no range and is not walked into.
  return isPair(node) ? { start: undefined } : rangeStart(node);
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: readonly number[] } | null)?.range?.[0];
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function fileError(file: string, message: string): Diagnostic {
  return { code: 'AM1001', severity: 'error', file, line: 1, col: 1, path: '', message };
}
