import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import type { FieldPath } from '../diagnostics/field-path.js';
import type { LoadedDocument } from '../model/kinds.js';
import type { SourceText } from './read-files.js';

/** Aliases beyond this count are refused: YAML "billion laughs" bombs expand exponentially. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parses every YAML (or JSON) document of a file, keeping positions. Syntax errors, duplicate keys
 * and alias bombs become diagnostics; the other documents of the file are still returned.
 */
export function parseDocuments(source: SourceText): { documents: LoadedDocument[]; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const documents: LoadedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: source.file, line, col };
  };

  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(source.text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (error) {
    // The parser recurses per nesting level: absurd nesting can exhaust the stack.
    diagnostics.push(fileError(source.file, 'AM1001', `cannot parse: ${(error as Error).message}`));
    return { documents, diagnostics };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];

  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = at(err.pos[0]);
        const duplicate = err.code === 'DUPLICATE_KEY';
        diagnostics.push({
          code: duplicate ? 'AM1009' : 'AM1001',
          severity: 'error',
          ...pos,
          path: '',
          message: duplicate
            ? `${firstLine(err.message)}; a key may appear once per mapping: remove or rename the repeated key`
            : `YAML syntax error: ${firstLine(err.message)}`,
        });
      }
      continue;
    }
    if (doc.contents === null) continue; // an empty document, e.g. a trailing `---`
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = (error as Error).message;
      const isAlias = /alias/i.test(message);
      diagnostics.push({
        code: isAlias ? 'AM1002' : 'AM1001',
        severity: 'error',
        ...at(doc.contents.range?.[0] ?? 0),
        path: '',
        message: isAlias
          ? `document expands too many YAML aliases (more than ${MAX_ALIAS_COUNT}); this looks like an alias bomb: write the values out or use fewer aliases`
          : `cannot read document: ${firstLine(message)}`,
      });
      continue;
    }
    const source0 = at(doc.contents.range?.[0] ?? 0);
    // Only the offsets are kept, not the parsed tree: at scale the trees were most of the loaded model's memory.
    const place = placeOf(doc.contents);
    documents.push({ value, source: source0, positionOf: (path) => positionIn(place, path, at) ?? source0 });
  }
  return { documents, diagnostics };
}

/**
 * Where a node and its fields were written: a scalar (or alias) is its start offset; a mapping keeps,
 * per scalar key (the first of a repeated one), where the key was written and the value's place; a
 * sequence keeps its items' places.
 */
type Place = number | undefined | Branch;

interface Branch {
  readonly start: number | undefined;
  readonly entries?: ReadonlyMap<string, { readonly key: number | undefined; readonly value: Place }>;
  readonly items?: readonly Place[];
}

function placeOf(node: unknown): Place {
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

/** Position of the key (for map entries) or the item (for sequence entries) at `path`, or of its nearest ancestor. */
function positionIn(root: Place, path: FieldPath, at: (offset: number) => SourcePosition): SourcePosition | undefined {
  let node = root;
  let best = startOf(node);
  for (const part of path) {
    if (typeof node !== 'object') break;
    if (node.entries) {
      const entry = node.entries.get(String(part));
      if (!entry) break;
      best = entry.key ?? best;
      node = entry.value;
    } else if (node.items && typeof part === 'number') {
      if (!(part in node.items)) break;
      node = node.items[part];
      best = startOf(node) ?? best;
    } else break;
  }
  return best === undefined ? undefined : at(best);
}

function startOf(place: Place): number | undefined {
  return typeof place === 'object' ? place.start : place;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function fileError(file: string, code: 'AM1001', message: string): Diagnostic {
  return { code, severity: 'error', file, line: 1, col: 1, path: '', message };
}
