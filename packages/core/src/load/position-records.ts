import type { FieldPath } from '../diagnostics/field-path.js';

const SCALAR = 0;
const MAP = 1;
const SEQ = 2;

/**
 * Where the keys and items of a file's documents were written, two integers each, in the order they
 * were read (a node, then everything under it): the offset of the key (mapping entries) or of the item
 * (sequence entries), and the kind of the value with how many records lie under it. A key's name is read
 * back from the text at its offset, so nothing here depends on the parsed values (which later code owns).
 * `offsetOf` answers what `positionIn` answers for the `yaml` library's tree.
 */
export class PositionRecords {
  readonly #text: string;
  #offsets = new Int32Array(1024);
  #shapes = new Int32Array(1024);
  #count = 0;

  constructor(text: string) {
    this.#text = text;
  }

  /** Starts the record of a key or item at `offset`; `close` it once its value is read. */
  open(offset: number): number {
    if (this.#count === this.#offsets.length) {
      this.#offsets = grown(this.#offsets);
      this.#shapes = grown(this.#shapes);
    }
    this.#offsets[this.#count] = offset;
    return this.#count++;
  }

  close(record: number, value: unknown): void {
    const kind = Array.isArray(value) ? SEQ : value !== null && typeof value === 'object' ? MAP : SCALAR;
    this.#shapes[record] = ((this.#count - record - 1) << 2) | kind;
  }

  /** Gives back the unused room once the file is read. */
  trim(): void {
    this.#offsets = this.#offsets.slice(0, this.#count);
    this.#shapes = this.#shapes.slice(0, this.#count);
  }

  /** The offset of the key or item at `path` under the record `root`, or of its nearest ancestor. */
  offsetOf(root: number, path: FieldPath): number {
    let node = root;
    for (const part of path) {
      const child = this.#kind(node) === MAP ? this.#entry(node, String(part)) : this.#kind(node) === SEQ ? this.#item(node, part) : -1;
      if (child === -1) break;
      node = child;
    }
    return this.#offsets[node]!;
  }

  #entry(map: number, key: string): number {
    for (let child = map + 1; child < this.#after(map); child = this.#after(child)) {
      if (this.#keyAt(this.#offsets[child]!) === key) return child;
    }
    return -1;
  }

  #item(seq: number, index: string | number): number {
    if (typeof index !== 'number') return -1;
    let n = 0;
    for (let child = seq + 1; child < this.#after(seq); child = this.#after(child), n++) {
      if (n === index) return child;
    }
    return -1;
  }

  #kind(record: number): number {
    return this.#shapes[record]! & 3;
  }

  /** The record after `record` and everything under it. */
  #after(record: number): number {
    return record + 1 + (this.#shapes[record]! >> 2);
  }

  /** The key written at `offset`: plain up to its colon, or quoted (`''` is a quote in single quotes). */
  #keyAt(offset: number): string {
    const text = this.#text;
    const quote = text[offset];
    if (quote === '"') return text.slice(offset + 1, text.indexOf('"', offset + 1));
    if (quote !== "'") return text.slice(offset, text.indexOf(':', offset));
    let key = '';
    for (let i = offset + 1; ; i++) {
      if (text[i] !== "'") key += text[i];
      else if (text[i + 1] === "'") key += text[++i];
      else return key;
    }
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
