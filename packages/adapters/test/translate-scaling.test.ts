import { checkPolicySet, loadTexts, type PolicySet } from '@anymesh/core';
import { describe, expect, it } from 'vitest';
import { generateModel } from '../bench/model.js';
import { ADAPTERS } from '../src/index.js';

/**
 * Work counted, not timed: every read of an element of the policy set's lists (and every service
 * the services map hands out) is counted while a translation runs. For a model 4× larger the count
 * may grow at most 5×; a per-service scan of every route, policy or service grows 16×.
 */
class CountingMap<K, V> extends Map<K, V> {
  constructor(
    entries: Iterable<[K, V]>,
    private readonly count: () => void,
  ) {
    super(entries);
  }
  override get(key: K): V | undefined {
    this.count();
    return super.get(key);
  }
  override *values(): MapIterator<V> {
    for (const v of super.values()) {
      this.count();
      yield v;
    }
  }
  override *entries(): MapIterator<[K, V]> {
    for (const e of super.entries()) {
      this.count();
      yield e;
    }
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  override forEach(fn: (value: V, key: K, map: Map<K, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

function counted(set: PolicySet): { set: PolicySet; reads: () => number } {
  let reads = 0;
  const count = () => void reads++;
  const list = <T extends object>(items: readonly T[]): readonly T[] =>
    new Proxy(items, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) count();
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  const wrapped: PolicySet = {
    ...set,
    objects: list(set.objects),
    services: new CountingMap(set.services, count),
    routes: list(set.routes),
    trafficPolicies: list(set.trafficPolicies),
    accessPolicies: list(set.accessPolicies),
    rollouts: list(set.rollouts),
    workloads: list(set.workloads),
  };
  return { set: wrapped, reads: () => reads };
}

function readsFor(services: number, run: (set: PolicySet) => unknown): number {
  const loaded = loadTexts(generateModel({ services }));
  expect(loaded.valid).toBe(true);
  const { set, reads } = counted(loaded.set);
  run(set);
  return reads();
}

describe('translation cost grows linearly with the model', () => {
  const runs: [string, (set: PolicySet) => unknown][] = [
    ['the semantic checks of validate', (set) => checkPolicySet(set)],
    ...ADAPTERS.map((a): [string, (set: PolicySet) => unknown] => [`the ${a.name} translation`, (set) => a.translate(set)]),
  ];
  for (const [what, run] of runs) {
    it(`${what} reads the policy set at most 5× as often for 4× the services`, () => {
      const small = readsFor(200, run);
      const large = readsFor(800, run);
      expect(small).toBeGreaterThan(0);
      expect(large / small).toBeLessThanOrEqual(5);
    });
  }
});
