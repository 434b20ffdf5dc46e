import type { FieldPath } from '../diagnostics/field-path.js';
import { resolvePlainScalar } from './plain-scalar.js';
import { PositionRecords } from './position-records.js';

/**
 * A fast reader for the plain subset of YAML that policy files are written in: block mappings and
 * sequences indented with spaces, one-line flow collections, one-line plain and quoted scalars without
 * escapes, comments, `---` between documents, ASCII only. Every mapping key is a plain word (or a quoted
 * one) that reads as a string. It gives the very values the `yaml` library's core schema gives, and
 * refuses (returns undefined for the whole file) anything else — anchors, tags, block scalars, multi-line
 * scalars, escapes, tabs, directives, duplicate keys, odd indentation, non-ASCII — so that the `yaml`
 * library reads those files, with its errors. Positions cost two integers per key and item
 * (`PositionRecords`), not a tree of nodes: the `yaml` library spent most of validate's time and memory
 * building position-carrying trees that diagnostics rarely ask.
 */

/** One document of a file read by `readPlainYaml`. */
export interface PlainDocument {
  readonly value: Record<string, unknown>;
  /** Offset of the document's first key (where the `yaml` library's document contents start). */
  readonly start: number;
  /** The offset of the key (map entries) or item (sequence entries) at `path`, or of its nearest ancestor. */
  readonly offsetOf: (path: FieldPath) => number;
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
  const records = new PositionRecords(text);
  const documents: PlainDocument[] = [];
  try {
    for (let from = 0; from <= text.length;) {
      const end = documentEnd(text, from);
      const doc = new Reader(text, end, records).document(from);
      if (doc) {
        const { root } = doc;
        documents.push({ value: doc.value, start: doc.start, offsetOf: (path) => records.offsetOf(root, path) });
      }
      from = end + 4; // past "---\n"
    }
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
  records.trim();
  return documents;
}

/** Offset of the line `---` that ends the document starting at `from`, or the text's length. */
function documentEnd(text: string, from: number): number {
  if (text.startsWith('---', from) && (from + 3 === text.length || text[from + 3] === '\n')) return from;
  for (let at = text.indexOf('\n---', from); at !== -1; at = text.indexOf('\n---', at + 1)) {
    if (at + 4 === text.length || text[at + 4] === '\n') return at + 1;
  }
  return text.length;
}

/**
 * Reads one document. Each method reads a node and leaves where reading goes on in `#next` (block
 * nodes: the start of the next line with content) or `#end` (values on one line: just past them).
 */
class Reader {
  readonly #text: string;
  readonly #end: number;
  readonly #records: PositionRecords;
  #next = 0;
  #valueEnd = 0;

  constructor(text: string, end: number, records: PositionRecords) {
    this.#text = text;
    this.#end = end;
    this.#records = records;
  }

  document(from: number): { value: Record<string, unknown>; start: number; root: number } | undefined {
    const line = this.#nextContentLine(from);
    if (line === this.#end) return undefined;
    if (this.#indent(line) !== 0 || this.#isSeqItem(line)) outside();
    const root = this.#records.open(line);
    const value = this.#blockMap(0, line, 1, false);
    if (this.#next !== this.#end) outside();
    this.#records.close(root, value);
    return { value, start: line, root };
  }

  /** A block mapping whose keys sit at column `indent`, the first at `at`. */
  #blockMap(indent: number, at: number, depth: number, compact: boolean): Record<string, unknown> {
    if (depth > MAX_DEPTH) outside();
    const map: Record<string, unknown> = {};
    let keyAt = at;
    for (;;) {
      const record = this.#records.open(keyAt);
      const key = this.#key(keyAt);
      if (key === '__proto__' || Object.hasOwn(map, key)) outside();
      const value = this.#mapValue(indent, this.#valueEnd, depth, compact);
      map[key] = value;
      this.#records.close(record, value);
      const next = this.#next;
      if (next === this.#end) return map;
      const nextIndent = this.#indent(next);
      if (nextIndent < indent) return map;
      if (nextIndent > indent || this.#isSeqItem(next + indent)) outside();
      keyAt = next + indent;
    }
  }

  /** The value after `key:` (`at` is just past the colon). */
  #mapValue(indent: number, at: number, depth: number, compact: boolean): unknown {
    const start = this.#skipSpaces(at);
    if (!this.#atLineEnd(start, start > at)) {
      const value = this.#inlineValue(start, depth);
      this.#next = this.#nextContentLine(this.#lineEndAfter(this.#valueEnd));
      if (this.#next !== this.#end && this.#indent(this.#next) > indent) outside(); // a continued scalar, or an error
      return value;
    }
    const line = this.#nextContentLine(this.#lineEndAfter(start));
    this.#next = line;
    if (line === this.#end) return null;
    const lineIndent = this.#indent(line);
    if (lineIndent > indent) return this.#blockNode(lineIndent, line + lineIndent, depth + 1);
    if (lineIndent === indent && !compact && this.#isSeqItem(line + indent)) return this.#blockSeq(indent, line + indent, depth + 1);
    return null;
  }

  /** A block mapping or sequence starting at `at` (column `indent`). */
  #blockNode(indent: number, at: number, depth: number): unknown {
    if (this.#isSeqItem(at)) return this.#blockSeq(indent, at, depth);
    if (!this.#isKeyAt(at)) outside(); // a scalar on its own line
    return this.#blockMap(indent, at, depth, false);
  }

  #blockSeq(indent: number, at: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH) outside();
    const seq: unknown[] = [];
    let dash = at;
    for (;;) {
      seq.push(this.#seqItem(indent, dash, depth));
      const next = this.#next;
      if (next === this.#end) return seq;
      const nextIndent = this.#indent(next);
      // A line at the sequence's column that is not an item ends it: a mapping's next key (`key:` then `- x` at its column).
      if (nextIndent < indent || (nextIndent === indent && !this.#isSeqItem(next + indent))) return seq;
      if (nextIndent > indent) outside();
      dash = next + indent;
    }
  }

  /** One item; its record holds where the item starts (the `yaml` library's node range). */
  #seqItem(indent: number, dash: number, depth: number): unknown {
    const start = this.#skipSpaces(dash + 1);
    if (this.#atLineEnd(start, start > dash + 1)) {
      const line = this.#nextContentLine(this.#lineEndAfter(start));
      if (line === this.#end || this.#indent(line) <= indent) outside(); // an empty item
      const lineIndent = this.#indent(line);
      return this.#recorded(line + lineIndent, () => this.#blockNode(lineIndent, line + lineIndent, depth + 1));
    }
    if (this.#isSeqItem(start)) outside(); // `- - x`
    if (this.#isKeyAt(start)) {
      const column = start - this.#lineStart(start);
      return this.#recorded(start, () => this.#blockMap(column, start, depth + 1, true));
    }
    const value = this.#recorded(start, () => this.#inlineValue(start, depth));
    this.#next = this.#nextContentLine(this.#lineEndAfter(this.#valueEnd));
    if (this.#next !== this.#end && this.#indent(this.#next) > indent) outside();
    return value;
  }

  #recorded(at: number, read: () => unknown): unknown {
    const record = this.#records.open(at);
    const value = read();
    this.#records.close(record, value);
    return value;
  }

  /** A key at `at` (plain, or quoted), followed by `:` and a space or the line's end; `#valueEnd` is past the colon. */
  #key(at: number): string {
    const text = this.#text;
    let key: string;
    let colon: number;
    if (text[at] === '"' || text[at] === "'") {
      key = this.#quoted(at);
      colon = this.#valueEnd;
      // A quoted key that reads as an array index would be reordered among the object's keys.
      if (/^[0-9]/.test(key)) outside();
    } else {
      colon = text.indexOf(':', at);
      if (colon === -1 || colon >= this.#end) outside();
      key = text.slice(at, colon);
      if (!PLAIN_KEY.test(key) || NOT_STRING_KEY.test(key)) outside();
    }
    if (key.length > MAX_KEY_LENGTH || text[colon] !== ':' || !this.#isBreakOrSpace(colon + 1)) outside();
    this.#valueEnd = colon + 1;
    return key;
  }

  #isKeyAt(at: number): boolean {
    const text = this.#text;
    const first = text[at];
    if (first === '{' || first === '[') return false;
    if (first === '"' || first === "'") {
      this.#quoted(at);
      return text[this.#valueEnd] === ':' && this.#isBreakOrSpace(this.#valueEnd + 1);
    }
    for (let i = at; i < this.#end && text[i] !== '\n'; i++) {
      if (text[i] === ':' && this.#isBreakOrSpace(i + 1)) return true;
      if (text[i] === '#' && text[i - 1] === ' ') return false;
    }
    return false;
  }

  /** A value written on the key's (or dash's) line: a flow collection, a quoted or a plain scalar. */
  #inlineValue(at: number, depth: number): unknown {
    const c = this.#text[at];
    if (c === '{' || c === '[') return this.#flow(at, depth + 1);
    if (c === '"' || c === "'") return this.#quoted(at);
    return this.#plain(at, false);
  }

  /** A plain scalar, ended by a comment, the line's end, or in flow by an indicator. */
  #plain(at: number, inFlow: boolean): unknown {
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
      if (c === ':' && (inFlow || this.#isBreakOrSpace(i + 1))) outside(); // a mapping where a scalar belongs, or `a:b` in flow
      if (inFlow && (c === ',' || c === '[' || c === ']' || c === '{' || c === '}')) break;
    }
    if (inFlow && (i === this.#end || text[i] === '\n' || text[i] === '#')) outside(); // a flow collection over lines
    let end = i;
    while (text[end - 1] === ' ') end--;
    this.#valueEnd = end;
    return resolvePlainScalar(text.slice(at, end));
  }

  /** A one-line quoted scalar without escapes; `#valueEnd` is just past its closing quote. */
  #quoted(at: number): string {
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
      this.#valueEnd = i + 1;
      return value + text.slice(from, i);
    }
    return outside();
  }

  /** A flow mapping or sequence closed on the same line. */
  #flow(at: number, depth: number): Record<string, unknown> | unknown[] {
    if (depth > MAX_DEPTH) outside();
    const text = this.#text;
    const isMap = text[at] === '{';
    const close = isMap ? '}' : ']';
    const map: Record<string, unknown> = {};
    const seq: unknown[] = [];
    let i = this.#skipSpaces(at + 1);
    if (text[i] !== close) {
      for (;;) {
        const record = this.#records.open(i);
        let value: unknown;
        if (isMap) {
          const key = this.#key(i);
          if (key === '__proto__' || Object.hasOwn(map, key) || text[this.#valueEnd] !== ' ') outside();
          value = this.#flowValue(this.#skipSpaces(this.#valueEnd), depth);
          map[key] = value;
        } else {
          value = this.#flowValue(i, depth);
          seq.push(value);
        }
        this.#records.close(record, value);
        i = this.#skipSpaces(this.#valueEnd);
        if (text[i] === close) break;
        if (text[i] !== ',') outside();
        i = this.#skipSpaces(i + 1);
        if (FLOW_END.has(text[i]!)) outside(); // `[a, ]`, `{a: 1, }`, `[a,,b]`
      }
    }
    this.#valueEnd = i + 1;
    return isMap ? map : seq;
  }

  #flowValue(at: number, depth: number): unknown {
    const c = this.#text[at];
    if (c === '{' || c === '[') return this.#flow(at, depth + 1);
    if (c === '"' || c === "'") return this.#quoted(at);
    if (c === undefined || c === '\n' || FLOW_END.has(c)) outside(); // an empty value
    return this.#plain(at, true);
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
