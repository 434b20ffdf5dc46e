/**
 * Puts items from several streams (the sidecars' tap streams) in time order within a window: each item is held
 * `windowMs` after it arrives, then released together with every held item that is not later than it, in time
 * order (ties in arrival order). Items that arrive within the window of each other come out sorted; an item that
 * arrives later than that behind a newer one is still shown, out of order, rather than dropped or held longer.
 * No item waits more than `windowMs`. The clock is passed in, so that the order can be tested without timers.
 */
export class ReorderBuffer<T> {
  readonly #windowMs: number;
  readonly #emit: (item: T) => void;
  /** Held items sorted by (time, seq). */
  #held: { item: T; time: number; seq: number }[] = [];
  /** Arrival order: seq and due time; an entry whose item has already gone out is skipped. */
  #arrivals: { seq: number; due: number; time: number }[] = [];
  #arrivalHead = 0;
  /** Seqs of the held items: an arrival whose item went out with an earlier release is skipped in O(1). */
  readonly #heldSeqs = new Set<number>();
  #seq = 0;

  constructor(windowMs: number, emit: (item: T) => void) {
    this.#windowMs = windowMs;
    this.#emit = emit;
  }

  /** Holds `item` (taken at `time`, ms since the epoch) that arrived at `now`. */
  push(item: T, time: number, now: number): void {
    const seq = this.#seq++;
    const at = this.#insertionIndex(time, seq);
    this.#held.splice(at, 0, { item, time, seq });
    this.#heldSeqs.add(seq);
    this.#arrivals.push({ seq, due: now + this.#windowMs, time });
  }

  /** Releases what is due at `now`; returns when the next item falls due, or undefined when none is held. */
  release(now: number): number | undefined {
    while (this.#arrivalHead < this.#arrivals.length) {
      const next = this.#arrivals[this.#arrivalHead]!;
      if (!this.#heldSeqs.has(next.seq)) {
        this.#arrivalHead++;
        continue;
      }
      if (next.due > now) {
        this.#compact();
        return next.due;
      }
      this.#arrivalHead++;
      this.#releaseThrough(next.time, next.seq);
    }
    this.#arrivals = [];
    this.#arrivalHead = 0;
    return undefined;
  }

  /** Releases everything held, in time order (the streams ended, or the reader stops). */
  flush(): void {
    const held = this.#held;
    this.#held = [];
    this.#arrivals = [];
    this.#arrivalHead = 0;
    this.#heldSeqs.clear();
    for (const h of held) this.#emit(h.item);
  }

  /** Drops the processed front of the arrival queue now and then, so that a long session does not grow it. */
  #compact(): void {
    if (this.#arrivalHead < 1024 || this.#arrivalHead * 2 < this.#arrivals.length) return;
    this.#arrivals = this.#arrivals.slice(this.#arrivalHead);
    this.#arrivalHead = 0;
  }

  get size(): number {
    return this.#held.length;
  }

  #releaseThrough(time: number, seq: number): void {
    const end = this.#insertionIndex(time, seq + 1);
    const out = this.#held.splice(0, end);
    for (const h of out) {
      this.#heldSeqs.delete(h.seq);
      this.#emit(h.item);
    }
  }

  /** The index of the first held item after (time, seq). */
  #insertionIndex(time: number, seq: number): number {
    let lo = 0;
    let hi = this.#held.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const h = this.#held[mid]!;
      if (h.time < time || (h.time === time && h.seq < seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
