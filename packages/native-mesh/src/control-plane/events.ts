import type { InstanceInfo } from '../protocol/types.js';
import type { RolloutTransition, RolloutTrouble } from '../rollout/types.js';

/** What the control plane reports to whoever runs it (the CLI prints these; library code never does). */
export type ControlPlaneEvent =
  | { readonly type: 'instance-registered'; readonly instance: InstanceInfo; readonly version: number }
  | {
      readonly type: 'instance-removed';
      readonly instance: InstanceInfo;
      readonly reason: 'deregistered' | 'expired';
      readonly version: number;
    }
  | { readonly type: 'policies-applied'; readonly version: number; readonly objects: number }
  | { readonly type: 'policies-refused'; readonly errors: number }
  | { readonly type: 'state-write-failed'; readonly message: string }
  /** A rollout transition (started, step, check-failed, promoted, rolled-back, …): one line each in `anymesh up`. */
  | ({ readonly type: 'rollout' } & RolloutTransition)
  /** The rollout controller could not do something and went on (a store write, a route, an informational webhook). */
  | ({ readonly type: 'rollout-trouble' } & RolloutTrouble);
