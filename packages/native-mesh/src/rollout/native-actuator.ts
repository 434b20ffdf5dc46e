import { namespaceOf, type Rollout, type TrafficPlan } from '@anymesh/core';
import { rolloutRoute } from '../control-plane/effective-policies.js';
import type { MeshState } from '../control-plane/mesh-state.js';
import { rolloutKey } from './store.js';
import type { TrafficActuator } from './types.js';

/**
 * Puts a rollout's traffic in force on the native mesh: the control plane serves sidecars the
 * authored policies with the service's route rewritten (control-plane/effective-policies.ts), as a
 * new config version that is persisted before it is published, exactly like an apply.
 */
export class NativeTrafficActuator implements TrafficActuator {
  readonly #state: MeshState;

  constructor(state: MeshState) {
    this.#state = state;
  }

  async apply(rollout: Rollout, traffic: TrafficPlan): Promise<void> {
    // Throws (and the controller reports it) when the plan cannot be expressed against the policies in force.
    rolloutRoute(this.#state.policies, rollout, traffic);
    await this.#state.setRolloutTraffic(keyOf(rollout), { rollout, traffic });
  }

  release(rollout: Rollout): Promise<void> {
    return this.#state.setRolloutTraffic(keyOf(rollout), undefined);
  }
}

function keyOf(rollout: Rollout): string {
  return rolloutKey(namespaceOf(rollout), rollout.metadata.name);
}
