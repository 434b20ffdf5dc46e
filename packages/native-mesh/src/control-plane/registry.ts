import { isDeepStrictEqual } from 'node:util';
import type { InstanceInfo } from '../protocol/types.js';

/** What a registry call changed: the control plane bumps the config version only when membership or an instance's data changed. */
export type RegistryChange = 'added' | 'updated' | 'unchanged';

/**
 * The live instances, keyed by id. Registration doubles as the heartbeat; an instance not heard
 * from for `3 × heartbeatIntervalMs` is dropped by `expire`.
 */
export class InstanceRegistry {
  readonly #instances = new Map<string, { info: InstanceInfo; lastSeen: number }>();
  readonly #ttlMs: number;

  constructor(heartbeatIntervalMs: number) {
    this.#ttlMs = 3 * heartbeatIntervalMs;
  }

  register(info: InstanceInfo, now: number): RegistryChange {
    const known = this.#instances.get(info.id);
    this.#instances.set(info.id, { info, lastSeen: now });
    if (!known) return 'added';
    return isDeepStrictEqual(known.info, info) ? 'unchanged' : 'updated';
  }

  remove(id: string): boolean {
    return this.#instances.delete(id);
  }

  /** Drops instances silent for longer than the TTL; returns the dropped ones. */
  expire(now: number): InstanceInfo[] {
    const dropped: InstanceInfo[] = [];
    for (const [id, entry] of this.#instances) {
      if (now - entry.lastSeen > this.#ttlMs) {
        this.#instances.delete(id);
        dropped.push(entry.info);
      }
    }
    return dropped;
  }

  /** Instances restored after a restart get a fresh lease: they stay unless they miss 3 heartbeats from now. */
  restore(instances: readonly InstanceInfo[], now: number): void {
    for (const info of instances) this.#instances.set(info.id, { info, lastSeen: now });
  }

  /** Sorted by id, so snapshots are deterministic. */
  list(): InstanceInfo[] {
    return [...this.#instances.values()].map((e) => e.info).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
