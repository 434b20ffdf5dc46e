import { resolvePlainScalar } from './plain-scalar.js';
import type { Place } from './place.js';

/**
 * A fast reader for the plain subset of YAML that policy files are written in: block mappings and
 * sequences indented with spaces, one-line flow collections, one-line plain and quoted scalars without
 * escapes, comments, `---` between documents, ASCII only. Every mapping key is a plain word (or a quoted
 * one) that reads as a string. It gives the very values the `yaml` library's core schema gives, and
 * refuses (returns undefined for the whole file) anything else — anchors, tags, block scalars, multi-line
 * scalars, escapes, tabs, directives, duplicate keys, odd indentation, non-ASCII — so that the `yaml`
 * library reads those files, with its errors. It does not keep positions while it reads: when a
 * diagnostic needs one, `placeOfPlainDocument` reads that one document again and records them (the
 * `yaml` library spent most of validate's time building position-carrying trees that were never asked).
 */

/** One document of a file read by `readPlainYaml`. */
export interface PlainDocument {
  readonly value: Record<string, unknown>;
  /** Offset of the document's first key (where the `yaml` library's document contents start). */
  readonly start: number;
  /** Offset just past the document (the next `---` line or the end of the text). */
  readonly end: number;
}

/** Deeper than this the file goes to the `yaml` library (which reports nesting beyond its own limit). */
const MAX_DEPTH = 50;
/** The `yaml` library refuses implicit keys longer than 1024 characters. */
const MAX_KEY_LENGTH = 1024;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const NOT_STRING_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** Anything but printable ASCII and newlines (tabs, CR, control characters, non-ASCII). */
const OUTSIDE_CHARS = /[^\x20-\x7e\n]/;
const FLOW_END = new Set([',', ']', '}']);
const NEVER_PLAIN_START = new Set([',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

/** The text left the subset; caught at the top, once per file at most. */
class OutsideSubset extends Error {}

const outside = (): never => {
  throw new OutsideSubset();
};

/** The documents of a file (empty ones skipped), or undefined when the file is not in the subset. */
export function readPlainYaml(text: string): PlainDocument[] | undefined {
  // Directives (`%`), `...` and `---` with more on its line need no check of their own: at column 0 they
  // can only be read as a key, and a key starts with a letter or `_`.
  if (OUTSIDE_CHARS.test(text)) return undefined;
  const documents: PlainDocument[] = [];
  try {
    for (let from = 0; from <= text.length;) {
      const end = documentEnd(text, from);
      const doc = new Reader(text, end, false).document(from);
      if (doc) documents.push({ value: doc.value as Record<string, unknown>, start: doc.start, end });
      from = end + 4; // past "---\n"
    }
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
  return documents;
}

/** The places (offsets) of a document `readPlainYaml` accepted, as `placeOf` gives them for the `yaml` library's tree. */
export function placeOfPlainDocument(text: string, start: number, end: number): Place {
  return new Reader(text, end, true).document(start)?.place;
}

/** Offset of the line `---` that ends the document starting at `from`, or the text's length. */
function documentEnd(text: string, from: number): number {
  if (text.startsWith('---', from) && (from + 3 === text.length || text[from + 3] === '\n')) return from;
  for (let at = text.indexOf('\n---', from); at !== -1; at = text.indexOf('\n---', at + 1)) {
    if (at + 4 === text.length || text[at + 4] === '\n') return at + 1;
  }
  return text.length;
}

interface Read {
  readonly value: unknown;
  readonly place: Place;
}

class Reader {
  readonly #text: string;
  readonly #end: number;
  readonly #places: boolean;

  constructor(text: string, end: number, places: boolean) {
    this.#text = text;
    this.#end = end;
    this.#places = places;
  }

  document(from: number): (Read & { start: number }) | undefined {
    const line = this.#nextContentLine(from);
    if (line === this.#end) return undefined;
    if (this.#indent(line) !== 0 || this.#isSeqItem(line)) outside();
    const map = this.#blockMap(0, line, 1, false);
    if (map.next !== this.#end) outside();
    return { value: map.value, place: map.place, start: line };
  }

  /** A block mapping whose keys sit at column `indent`; the first key at `at`. Returns the next content line. */
  #blockMap(indent: number, at: number, depth: number, compact: boolean): Read & { next: number } {
    if (depth > MAX_DEPTH) outside();
    const value: Record<string, unknown> = {};
    const entries = this.#places ? new Map<string, { key: number; value: Place }>() : undefined;
    let keyAt = at;
    for (;;) {
      const { key, after } = this.#key(keyAt);
      if (key === '__proto__' || Object.hasOwn(value, key)) outside();
      const read = this.#mapValue(indent, after, depth, compact);
      value[key] = read.value;
      entries?.set(key, { key: keyAt, value: read.place });
      const next = read.next;
      if (next === this.#end || this.#indent(next) < indent) {
        return { value, place: entries && { start: at, entries }, next };
      }
      if (this.#indent(next) > indent || this.#isSeqItem(next + indent)) outside();
      keyAt = next + indent;
    }
  }

  /** The value after `key:` (at `at`, just past the colon) and the next content line. */
  #mapValue(indent: number, at: number, depth: number, compact: boolean): Read & { next: number } {
    const start = this.#skipSpaces(at);
    if (!this.#atLineEnd(start, start > at)) {
      const read = this.#inlineValue(start, depth);
      const next = this.#nextContentLine(this.#lineEndAfter(read.end));
      if (next !== this.#end && this.#indent(next) > indent) outside(); // a continued scalar, or an error
      return { ...read, next };
    }
    const line = this.#nextContentLine(this.#lineEndAfter(start));
    if (line === this.#end) return { value: null, place: at, next: line };
    const lineIndent = this.#indent(line);
    if (lineIndent > indent) return this.#blockNode(lineIndent, line + lineIndent, depth + 1);
    if (lineIndent === indent && !compact && this.#isSeqItem(line + indent)) return this.#blockSeq(indent, line + indent, depth + 1);
    return { value: null, place: at, next: line };
  }

  /** A block mapping or sequence starting at `at` (column `indent`). */
  #blockNode(indent: number, at: number, depth: number): Read & { next: number } {
    if (this.#isSeqItem(at)) return this.#blockSeq(indent, at, depth);
    if (!this.#isKeyAt(at)) outside(); // a scalar on its own line
    return this.#blockMap(indent, at, depth, false);
  }

  #blockSeq(indent: number, at: number, depth: number): Read & { next: number } {
    if (depth > MAX_DEPTH) outside();
    const value: unknown[] = [];
    const items: Place[] | undefined = this.#places ? [] : undefined;
    let dash = at;
    for (;;) {
      const item = this.#seqItem(indent, dash, depth);
      value.push(item.value);
      items?.push(item.place);
      const next = item.next;
      // A line at the sequence's column that is not an item ends it: a mapping's next key (`key:` then `- x` at its column).
      if (next === this.#end || this.#indent(next) < indent || (this.#indent(next) === indent && !this.#isSeqItem(next + indent))) {
        return { value, place: items && { start: at, items }, next };
      }
      if (this.#indent(next) > indent) outside();
      dash = next + indent;
    }
  }

  #seqItem(indent: number, dash: number, depth: number): Read & { next: number } {
    const start = this.#skipSpaces(dash + 1);
    if (this.#atLineEnd(start, start > dash + 1)) {
      const line = this.#nextContentLine(this.#lineEndAfter(start));
      if (line === this.#end || this.#indent(line) <= indent) outside(); // an empty item
      const lineIndent = this.#indent(line);
      return this.#blockNode(lineIndent, line + lineIndent, depth + 1);
    }
    if (this.#isSeqItem(start)) outside(); // `- - x`
    const column = start - this.#lineStart(start);
    if (this.#isKeyAt(start)) return this.#blockMap(column, start, depth + 1, true);
    const read = this.#inlineValue(start, depth);
    const next = this.#nextContentLine(this.#lineEndAfter(read.end));
    if (next !== this.#end && this.#indent(next) > indent) outside();
    return { ...read, next };
  }

  /** A key at `at` (plain, or quoted), followed by `:` and a space or the line's end. */
  #key(at: number): { key: string; after: number } {
    const text = this.#text;
    let key: string;
    let colon: number;
    if (text[at] === '"' || text[at] === "'") {
      const quoted = this.#quoted(at);
      key = quoted.value;
      colon = quoted.end;
    } else {
      colon = at;
      while (colon < this.#end && text[colon] !== ':' && text[colon] !== '\n') colon++;
      key = text.slice(at, colon);
      if (!PLAIN_KEY.test(key) || NOT_STRING_KEY.test(key)) outside();
    }
    if (key.length > MAX_KEY_LENGTH || text[colon] !== ':' || !this.#isBreakOrSpace(colon + 1)) outside();
    return { key, after: colon + 1 };
  }

  #isKeyAt(at: number): boolean {
    const text = this.#text;
    if (text[at] === '{' || text[at] === '[') return false;
    if (text[at] === '"' || text[at] === "'") {
      const { end } = this.#quoted(at);
      return text[end] === ':' && this.#isBreakOrSpace(end + 1);
    }
    let i = at;
    while (i < this.#end && text[i] !== '\n') {
      if (text[i] === ':' && this.#isBreakOrSpace(i + 1)) return true;
      if (text[i] === '#' && text[i - 1] === ' ') return false;
      i++;
    }
    return false;
  }

  /** A value written on the key's (or dash's) line: a flow collection, a quoted or a plain scalar. */
  #inlineValue(at: number, depth: number): Read & { end: number } {
    const c = this.#text[at]!;
    if (c === '{' || c === '[') return this.#flow(at, depth + 1);
    if (c === '"' || c === "'") {
      const { value, end } = this.#quoted(at);
      return { value, place: at, end };
    }
    let end = this.#plainEnd(at, false);
    while (this.#text[end - 1] === ' ') end--;
    return { value: resolvePlainScalar(this.#text.slice(at, end)), place: at, end };
  }

  /** Where a plain scalar starting at `at` ends (a comment, the line's end, or in flow an indicator). */
  #plainEnd(at: number, inFlow: boolean): number {
    const text = this.#text;
    const first = text[at]!;
    if (NEVER_PLAIN_START.has(first)) outside();
    const isIndicator = first === '-' || first === '?' || first === ':';
    if (isIndicator && (this.#isBreakOrSpace(at + 1) || (inFlow && FLOW_END.has(text[at + 1]!)))) outside();
    let i = at;
    for (; i < this.#end; i++) {
      const c = text[i]!;
      if (c === '\n') break;
      if (c === '#' && text[i - 1] === ' ') break;
      if (c === ':') {
        if (inFlow || this.#isBreakOrSpace(i + 1)) outside(); // a mapping where a scalar belongs, or `a:b` in flow
      }
      if (inFlow && (c === ',' || c === '[' || c === ']' || c === '{' || c === '}')) break;
    }
    if (inFlow && (i === this.#end || text[i] === '\n' || text[i] === '#')) outside(); // a flow collection over lines
    return i;
  }

  /** A one-line quoted scalar without escapes; `end` is just past its closing quote. */
  #quoted(at: number): { value: string; end: number } {
    const text = this.#text;
    const quote = text[at]!;
    let value = '';
    let from = at + 1;
    for (let i = from; i < this.#end; i++) {
      const c = text[i]!;
      if (c === '\n' || (c === '\\' && quote === '"')) break;
      if (c !== quote) continue;
      if (quote === "'" && text[i + 1] === "'") {
        value += text.slice(from, i + 1);
        from = ++i + 1;
        continue;
      }
      return { value: value + text.slice(from, i), end: i + 1 };
    }
    return outside();
  }

  /** A flow mapping or sequence closed on the same line; `end` is just past it. */
  #flow(at: number, depth: number): Read & { end: number } {
    if (depth > MAX_DEPTH) outside();
    const text = this.#text;
    const isMap = text[at] === '{';
    const close = isMap ? '}' : ']';
    const map: Record<string, unknown> = {};
    const seq: unknown[] = [];
    const entries = this.#places && isMap ? new Map<string, { key: number; value: Place }>() : undefined;
    const items: Place[] | undefined = this.#places && !isMap ? [] : undefined;
    let i = this.#skipSpaces(at + 1);
    if (text[i] === close) return { value: isMap ? map : seq, place: this.#places ? { start: at, entries, items } : undefined, end: i + 1 };
    for (;;) {
      if (isMap) {
        const keyAt = i;
        const { key, after } = this.#key(i);
        if (key === '__proto__' || Object.hasOwn(map, key) || text[after] !== ' ') outside();
        const read = this.#flowValue(this.#skipSpaces(after), depth);
        map[key] = read.value;
        entries?.set(key, { key: keyAt, value: read.place });
        i = read.end;
      } else {
        const read = this.#flowValue(i, depth);
        seq.push(read.value);
        items?.push(read.place);
        i = read.end;
      }
      i = this.#skipSpaces(i);
      if (text[i] === close) break;
      if (text[i] !== ',') outside();
      i = this.#skipSpaces(i + 1);
      if (FLOW_END.has(text[i]!)) outside(); // `[a, ]`, `{a: 1, }`, `[a,,b]`
    }
    return {
      value: isMap ? map : seq,
      place: this.#places ? (isMap ? { start: at, entries } : { start: at, items }) : undefined,
      end: i + 1,
    };
  }

  #flowValue(at: number, depth: number): Read & { end: number } {
    const c = this.#text[at];
    if (c === '{' || c === '[') return this.#flow(at, depth + 1);
    if (c === '"' || c === "'") {
      const { value, end } = this.#quoted(at);
      return { value, place: at, end };
    }
    if (c === undefined || c === '\n' || FLOW_END.has(c)) outside(); // an empty value
    let end = this.#plainEnd(at, true);
    while (this.#text[end - 1] === ' ') end--;
    return { value: resolvePlainScalar(this.#text.slice(at, end)), place: at, end };
  }

  /** After a value on its line: spaces, then the line's end or a comment. Returns the offset past the line. */
  #lineEndAfter(at: number): number {
    const i = this.#skipSpaces(at);
    if (!this.#atLineEnd(i, i > at)) outside();
    const newline = this.#text.indexOf('\n', i);
    return newline === -1 || newline >= this.#end ? this.#end : newline + 1;
  }

  /** At the end of the line, or at a comment (which must follow a space). */
  #atLineEnd(at: number, afterSpace: boolean): boolean {
    return at >= this.#end || this.#text[at] === '\n' || (this.#text[at] === '#' && afterSpace);
  }

  /** The start of the next line (from a line start) that holds more than spaces and a comment, or the end. */
  #nextContentLine(from: number): number {
    const text = this.#text;
    let line = from;
    while (line < this.#end) {
      const i = this.#skipSpaces(line);
      if (i < this.#end && text[i] !== '\n' && text[i] !== '#') return line;
      const newline = text.indexOf('\n', i);
      if (newline === -1 || newline >= this.#end) return this.#end;
      line = newline + 1;
    }
    return this.#end;
  }

  #isSeqItem(at: number): boolean {
    return this.#text[at] === '-' && this.#isBreakOrSpace(at + 1);
  }

  #isBreakOrSpace(at: number): boolean {
    return at >= this.#end || this.#text[at] === ' ' || this.#text[at] === '\n';
  }

  #skipSpaces(at: number): number {
    let i = at;
    while (i < this.#end && this.#text[i] === ' ') i++;
    return i;
  }

  #indent(line: number): number {
    return this.#skipSpaces(line) - line;
  }

  #lineStart(at: number): number {
    return this.#text.lastIndexOf('\n', at - 1) + 1;
  }
}
