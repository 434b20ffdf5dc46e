import type { LoadBalancer } from '@anymesh/core';
import type { Endpoint } from './endpoint.js';
import { HashRing } from './hash-ring.js';

export type Algorithm = LoadBalancer['algorithm'];

/**
 * Picks one endpoint among the usable ones of a priority level. Round-robin keeps one cursor per
 * level; least-request is power-of-two-choices on in-flight requests (Envoy's default choice
 * count); consistent hash walks a ring built over every endpoint of the level, so ejections and
 * membership changes move few keys.
 */
export class Balancer {
  readonly #algorithm: Algorithm;
  #cursor = 0;
  readonly #ring: HashRing | undefined;

  constructor(algorithm: Algorithm, levelEndpoints: readonly Endpoint[]) {
    this.#algorithm = algorithm;
    this.#ring = algorithm === 'consistent-hash' ? new HashRing(levelEndpoints) : undefined;
  }

  pick(usable: readonly Endpoint[], hashKey: string | undefined): Endpoint | undefined {
    const n = usable.length;
    if (n === 0) return undefined;
    if (n === 1) return usable[0];
    switch (this.#algorithm) {
      case 'round-robin':
        return usable[this.#cursor++ % n];
      case 'random':
        return usable[Math.floor(Math.random() * n)];
      case 'least-request': {
        const a = usable[Math.floor(Math.random() * n)]!;
        let b = usable[Math.floor(Math.random() * (n - 1))]!;
        if (b === a) b = usable[n - 1]!;
        return b.active < a.active ? b : a;
      }
      case 'consistent-hash':
        // No key (header or cookie absent): spread like random, as Envoy does.
        if (hashKey === undefined) return usable[Math.floor(Math.random() * n)];
        return this.#ring!.pick(hashKey, (e) => !e.ejected) ?? usable[0];
    }
  }
}
