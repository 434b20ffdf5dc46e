import type { Endpoint } from './endpoint.js';

/** Points per endpoint on the ring: enough for an even spread over a handful of instances. */
const POINTS_PER_ENDPOINT = 160;

/** 32-bit FNV-1a followed by murmur3's finalizer (FNV alone clusters similar short keys). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A consistent-hash ring (Ketama): each endpoint owns points derived from its id, so adding or
 * removing one instance moves only the keys that land next to its points. An ejected endpoint is
 * skipped by walking clockwise, which leaves every other key where it was.
 */
export class HashRing {
  readonly #points: Uint32Array;
  readonly #owners: Endpoint[];

  constructor(endpoints: readonly Endpoint[]) {
    const entries: { point: number; endpoint: Endpoint }[] = [];
    for (const endpoint of endpoints) {
      for (let i = 0; i < POINTS_PER_ENDPOINT; i++) entries.push({ point: hash32(`${endpoint.id}#${i}`), endpoint });
    }
    entries.sort((a, b) => a.point - b.point || (a.endpoint.id < b.endpoint.id ? -1 : 1));
    this.#points = Uint32Array.from(entries, (e) => e.point);
    this.#owners = entries.map((e) => e.endpoint);
  }

  /** The endpoint owning `key`, skipping those `usable` rejects; undefined when none is usable. */
  pick(key: string, usable: (endpoint: Endpoint) => boolean): Endpoint | undefined {
    const n = this.#points.length;
    if (n === 0) return undefined;
    const h = hash32(key);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#points[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    for (let i = 0; i < n; i++) {
      const owner = this.#owners[(lo + i) % n]!;
      if (usable(owner)) return owner;
    }
    return undefined;
  }
}
