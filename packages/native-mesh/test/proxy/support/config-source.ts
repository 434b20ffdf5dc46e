import { loadTexts, meshSettings } from '@anymesh/core';
import type { ConfigSource } from '../../../src/protocol/sidecar.js';
import type { ConfigSnapshot, InstanceInfo } from '../../../src/protocol/types.js';

/** Builds a snapshot from YAML policies; fails the test on invalid policies. */
export function snapshotOf(version: number, yaml: string, instances: readonly InstanceInfo[]): ConfigSnapshot {
  const loaded = loadTexts([{ file: 'test.yaml', text: yaml }]);
  if (!loaded.valid) throw new Error(`invalid test policies: ${loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return {
    version,
    mesh: meshSettings(loaded.set.mesh?.object),
    policies: loaded.set.objects.map((o) => o.object),
    instances,
  };
}

/** A static config hub: every sidecar subscribes; `push` delivers a new snapshot to all. */
export class StaticConfigHub {
  #snapshot: ConfigSnapshot | undefined;
  readonly #listeners = new Set<(s: ConfigSnapshot) => void>();

  source(): ConfigSource {
    let listener: ((s: ConfigSnapshot) => void) | undefined;
    return {
      subscribe: (onSnapshot) => {
        listener = onSnapshot;
        this.#listeners.add(onSnapshot);
        if (this.#snapshot) onSnapshot(this.#snapshot);
      },
      close: async () => {
        if (listener) this.#listeners.delete(listener);
      },
    };
  }

  push(snapshot: ConfigSnapshot): void {
    this.#snapshot = snapshot;
    for (const l of this.#listeners) l(snapshot);
  }
}
