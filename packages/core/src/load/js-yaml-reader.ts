import type * as JsYamlModule from 'js-yaml';
import { lazyRequire } from '../lazy-require.js';
import type { FieldPath } from '../diagnostics/field-path.js';

/**
 * The fast path of loading: js-yaml reads the file (about ten times faster than the `yaml` library's
 * position-carrying documents), and its node events tell where each key and item was written, kept as
 * three integers per node. It is used only where it gives exactly what the `yaml` library gives — values
 * and every position — which tests check on the repository's files and thousands of random edits; for
 * anything it cannot vouch for (anchors, tags, odd numbers, keys that are not strings, a root that is not
 * a mapping, tabs, CR, non-ASCII, duplicate keys, syntax errors, deep nesting) it declines the whole file
 * and the `yaml` library reads it, with its own diagnostics.
 */

/** One document of a file. */
export interface FastDocument {
  readonly value: Record<string, unknown>;
  /** Offset of the document's first key (where the `yaml` library's document contents start). */
  readonly start: number;
  /** The offset of the key (map entries) or item (sequence entries) at `path`, or of its nearest ancestor. */
  readonly offsetOf: (path: FieldPath) => number;
}

/** Node events deeper than this decline the file (the `yaml` library reports nesting beyond its limit). */
const MAX_DEPTH = 50;
/** The `yaml` library refuses implicit keys longer than 1024 characters. */
const MAX_KEY_LENGTH = 1024;
/** Anything but printable ASCII and newlines (tabs, CR, control characters, non-ASCII). */
const OUTSIDE_CHARS = /[^\x20-\x7e\n]/;
/** Anchors, aliases, tags and directives at a token start; quoted text that has them only costs the slow path. */
const NOT_PLAIN = /(?:^|[\s[\]{},:-])[&*!%]/;
/**
 * What js-yaml accepts and the `yaml` library refuses: a comment right after a quoted scalar, content on
 * the `---` line.
 */
const LENIENT = /["'\]}]#|^---[ ]+[^ #\n]/m;
/** What the `yaml` library's core schema reads as a number, boolean or null when written plain (unquoted). */
const CORE_NON_STRING =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
/** Numbers both libraries read alike; other numeric forms (`+1`, `.5`, `0o17`, `1.`, `.inf`) decline. */
const PLAIN_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;

/** js-yaml, loaded when the first file is read (only this file uses it, so its CommonJS copy is the only one). */
const jsYamlLib = lazyRequire<typeof JsYamlModule>('js-yaml');

class Declined extends Error {}

const decline = (): never => {
  throw new Declined();
};

/** The documents of a file (empty ones skipped), or undefined when this reader declines the file. */
export function readFastYaml(text: string): FastDocument[] | undefined {
  if (OUTSIDE_CHARS.test(text) || NOT_PLAIN.test(text) || LENIENT.test(text)) return undefined;
  try {
    const nodes = new NodeEvents();
    const roots = nodes.read(text);
    const documents: FastDocument[] = [];
    for (const root of roots) {
      const node = nodes.verify(root, text);
      const value = nodes.resultOf(node);
      if (value === null && text.slice(nodes.openOf(node), nodes.closeOf(node)).trim() === '') continue; // an empty document
      if (!isMapping(value) || Object.keys(value).length === 0) decline();
      const start = contentStart(text, nodes.openOf(node));
      documents.push({ value: value as Record<string, unknown>, start, offsetOf: (path) => nodes.offsetOf(node, path) ?? start });
    }
    nodes.done();
    return documents;
  } catch (error) {
    if (error instanceof Declined || error instanceof jsYamlLib().YAMLException || error instanceof RangeError) return undefined;
    throw error;
  }
}

const NONE = -1;
const SCALAR = 0;
const MAP = 1;
const SEQ = 2;
/** js-yaml's try for one more key where a document ends: a node that read nothing. */
const ATTEMPT = 3;
/** A node wrapping a single child that holds the very same collection. */
const WRAPPER = 4;

/**
 * js-yaml's open/close events as a tree in flat arrays (a few integers per node, no object per node):
 * where each node opened and closed, its first child and next sibling, and, once verified, its kind and
 * (for map keys) the key. Some events are not nodes of the value: a flow collection read as a possible
 * compact-mapping key is wrapped in the node that then takes it as its value, and where a document ends
 * js-yaml tries one more key that reads nothing; `verify` marks both and checks that the remaining nodes
 * account for exactly the value read, or declines the file.
 */
class NodeEvents {
  #open = new Int32Array(1024);
  #close = new Int32Array(1024);
  #firstChild = new Int32Array(1024);
  #lastChild = new Int32Array(1024);
  #next = new Int32Array(1024);
  #kind = new Uint8Array(1024);
  /** What each node read; dropped once verified (the documents keep their values). */
  #results: unknown[] = [];
  #keys: (string | undefined)[] = [];
  #count = 0;

  /** Reads every document; returns each document's root node. */
  read(text: string): number[] {
    const roots: number[] = [];
    const stack: number[] = [];
    const jsYaml = jsYamlLib();
    jsYaml.loadAll(text, undefined, {
      schema: jsYaml.CORE_SCHEMA,
      listener: (event, state) => {
        if (event === 'close') {
          const node = stack.pop()!;
          this.#close[node] = state.position;
          this.#results[node] = state.result;
          return;
        }
        const node = this.#add(state.position, stack.at(-1) ?? NONE);
        if (stack.length === 0) roots.push(node);
        stack.push(node);
        if (stack.length > MAX_DEPTH) decline();
      },
    });
    return roots;
  }

  openOf(node: number): number {
    return this.#open[node]!;
  }

  closeOf(node: number): number {
    return this.#close[node]!;
  }

  resultOf(node: number): unknown {
    return this.#results[node];
  }

  /** Checks `node` and everything under it; returns the node that holds its value (past any wrapper). */
  verify(node: number, text: string): number {
    const inner = this.#unwrapped(node);
    const value = this.#results[inner];
    if (Array.isArray(value)) this.#verifyItems(inner, value, text);
    else if (isMapping(value)) this.#verifyEntries(inner, value, text);
    else if (typeof value === 'number' && !this.#isPlainNumber(inner, value, text)) decline();
    else if (typeof value === 'string' && this.#isPlainNonString(inner, text)) decline();
    else if (typeof value === 'object' && value !== null) decline();
    this.#kind[inner] = Array.isArray(value) ? SEQ : isMapping(value) ? MAP : SCALAR;
    if (this.#spansLines(inner, text)) decline();
    return inner;
  }

  /** Frees what only reading needed, and the arrays' unused room: position lookups keep four numbers a node. */
  done(): void {
    this.#results = [];
    this.#close = new Int32Array(0);
    this.#lastChild = new Int32Array(0);
    this.#open = this.#open.slice(0, this.#count);
    this.#firstChild = this.#firstChild.slice(0, this.#count);
    this.#next = this.#next.slice(0, this.#count);
    this.#kind = this.#kind.slice(0, this.#count);
  }

  /** The offset of the key or item at `path` under the map node `root`, or of its nearest ancestor (none: undefined). */
  offsetOf(root: number, path: FieldPath): number | undefined {
    let node = root;
    let best: number | undefined;
    for (const part of path) {
      const kind = this.#kind[node];
      const found =
        kind === MAP ? this.#entry(node, String(part)) : kind === SEQ && typeof part === 'number' ? this.#item(node, part) : undefined;
      if (found === undefined) break;
      best = this.#open[found.at];
      node = this.#unwrapped(found.node);
    }
    return best;
  }

  #add(offset: number, parent: number): number {
    if (this.#count === this.#open.length) this.#grow();
    const node = this.#count++;
    this.#open[node] = offset;
    this.#firstChild[node] = NONE;
    this.#lastChild[node] = NONE;
    this.#next[node] = NONE;
    this.#keys.push(undefined);
    if (parent !== NONE) {
      const last = this.#lastChild[parent]!;
      if (last === NONE) this.#firstChild[parent] = node;
      else this.#next[last] = node;
      this.#lastChild[parent] = node;
    }
    return node;
  }

  #verifyItems(seq: number, value: unknown[], text: string): void {
    let i = 0;
    for (let child = this.#firstChild[seq]!; child !== NONE; child = this.#next[child]!, i++) {
      if (i === value.length && this.#isTrailingAttempt(child)) break;
      if (i >= value.length || this.#results[this.#unwrapped(child)] !== value[i]) decline();
      this.verify(child, text);
    }
    if (i !== value.length) decline();
  }

  #verifyEntries(map: number, value: Record<string, unknown>, text: string): void {
    let entries = 0;
    for (let child = this.#firstChild[map]!; child !== NONE; child = this.#next[this.#next[child]!]!) {
      const valueNode = this.#next[child]!;
      if (valueNode === NONE && this.#isTrailingAttempt(child)) break;
      const key = this.#results[child];
      if (
        valueNode === NONE ||
        typeof key !== 'string' ||
        key.length > MAX_KEY_LENGTH ||
        key === '__proto__' ||
        !Object.hasOwn(value, key)
      ) {
        decline();
      }
      if (this.#results[this.#unwrapped(valueNode)] !== value[key as string]) decline();
      this.verify(child, text);
      this.#keys[child] = key as string;
      const inner = this.verify(valueNode, text);
      if (this.#kind[inner] === SCALAR && value[key as string] !== null && this.#startsOnLaterLine(valueNode, text)) decline();
      entries += 1;
    }
    if (entries !== Object.keys(value).length) decline();
  }

  /** js-yaml's try for one more key where a document ends: a last node that read nothing. */
  #isTrailingAttempt(node: number): boolean {
    const extra = this.#next[node] === NONE && this.#results[node] === null && this.#open[node] === this.#close[node];
    if (extra) this.#kind[node] = ATTEMPT;
    return extra;
  }

  /** Past nodes that wrap a single child holding the very same collection. */
  #unwrapped(node: number): number {
    let inner = node;
    for (;;) {
      const child = this.#firstChild[inner]!;
      if (child === NONE || this.#next[child] !== NONE) return inner;
      const result = this.#results.length === 0 ? undefined : this.#results[inner];
      const wraps =
        this.#results.length === 0
          ? this.#kind[inner] === WRAPPER
          : typeof result === 'object' && result !== null && this.#results[child] === result;
      if (!wraps) return inner;
      this.#kind[inner] = WRAPPER;
      inner = child;
    }
  }

  /** A number both libraries read alike: plain decimal notation, and not a negative zero (which they sign differently). */
  #isPlainNumber(node: number, value: number, text: string): boolean {
    return (
      PLAIN_NUMBER.test(text.slice(this.#open[node], this.#close[node]).trim()) &&
      !(value === 0 && text.slice(this.#open[node], this.#close[node]).includes('-'))
    );
  }

  /** A scalar written on the line after its key: the `yaml` library reads the lines around it differently in places. */
  #startsOnLaterLine(node: number, text: string): boolean {
    const open = this.#open[node]!;
    return text.slice(open, contentStart(text, open)).includes('\n');
  }

  /** A plain (unquoted) scalar js-yaml read as a string that the `yaml` library reads otherwise (`-.1`, `0o17`). */
  #isPlainNonString(node: number, text: string): boolean {
    const start = contentStart(text, this.#open[node]!);
    const c = text[start];
    if (c === '"' || c === "'") return false;
    return CORE_NON_STRING.test(text.slice(start, this.#close[node]));
  }

  /**
   * A flow collection or a scalar over several lines: js-yaml accepts continuation lines and text after
   * a multi-line quoted scalar that the `yaml` library refuses, so such files are left to the `yaml`
   * library (JSON files and block scalars among them). Block collections span lines by nature.
   */
  #spansLines(node: number, text: string): boolean {
    const start = contentStart(text, this.#open[node]!);
    const kind = this.#kind[node];
    const c = text[start];
    if ((kind === MAP || kind === SEQ) && c !== '[' && c !== '{') return false;
    const lineEnd = text.indexOf('\n', start);
    return lineEnd !== -1 && lineEnd < this.#close[node]!;
  }

  /** The key node of `key` in the map node `map`, and the node of its value. */
  #entry(map: number, key: string): { at: number; node: number } | undefined {
    for (let child = this.#firstChild[map]!; child !== NONE; child = this.#next[this.#next[child]!] ?? NONE) {
      const value = this.#next[child]!;
      if (value === NONE) return undefined;
      if (this.#keys[child] === key) return { at: child, node: value };
    }
    return undefined;
  }

  #item(seq: number, index: number): { at: number; node: number } | undefined {
    let n = 0;
    for (let child = this.#firstChild[seq]!; child !== NONE && this.#kind[child] !== ATTEMPT; child = this.#next[child]!, n++) {
      if (n === index) return { at: child, node: child };
    }
    return undefined;
  }

  #grow(): void {
    this.#open = grown(this.#open);
    this.#close = grown(this.#close);
    this.#firstChild = grown(this.#firstChild);
    this.#lastChild = grown(this.#lastChild);
    this.#next = grown(this.#next);
    const kind = new Uint8Array(this.#kind.length * 2);
    kind.set(this.#kind);
    this.#kind = kind;
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first offset at or after `offset` that is not a space, a line break or a comment. */
function contentStart(text: string, offset: number): number {
  let at = offset;
  for (;;) {
    const c = text[at];
    if (c === ' ' || c === '\n') at += 1;
    else if (c === '#') at = text.includes('\n', at) ? text.indexOf('\n', at) + 1 : text.length;
    else return at;
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
