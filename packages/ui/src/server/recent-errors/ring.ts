/**
 * A fixed-capacity buffer keeping the newest items, so the memory a busy service costs the
 * dashboard is bounded however long it runs.
 */
export class Ring<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.#items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.#items.length;
    this.#size = Math.min(this.#size + 1, this.#items.length);
  }

  /** Up to `limit` items that `accept`, newest first. */
  newest(limit: number, accept: (item: T) => boolean = () => true): T[] {
    const found: T[] = [];
    const capacity = this.#items.length;
    for (let i = 1; i <= this.#size && found.length < limit; i++) {
      const item = this.#items[(this.#next - i + capacity) % capacity] as T;
      if (accept(item)) found.push(item);
    }
    return found;
  }
}
