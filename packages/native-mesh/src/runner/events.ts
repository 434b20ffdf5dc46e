import type { ControlPlaneEvent } from '../control-plane/events.js';

/** What the local runner reports; the CLI prints these (library code never prints). */
export type LocalMeshEvent =
  /** A rollout transition (or trouble) of the control plane's rollout controller. */
  | { readonly type: 'control-plane'; readonly event: Extract<ControlPlaneEvent, { type: 'rollout' | 'rollout-trouble' }> }
  | { readonly type: 'control-plane-started'; readonly url: string }
  | { readonly type: 'process-started'; readonly name: string; readonly pid: number | undefined; readonly logFile: string }
  | { readonly type: 'instance-ready'; readonly id: string }
  /** A child could not bind a port picked for it (someone took it meanwhile); its replica starts again on fresh ports. */
  | { readonly type: 'port-taken'; readonly name: string; readonly attempt: number }
  /** A child exited while the mesh was running (not during stop). */
  | {
      readonly type: 'process-exited';
      readonly name: string;
      readonly code: number | null;
      readonly signal: string | null;
      readonly logTail: string;
    }
  | { readonly type: 'stopping' }
  | { readonly type: 'stopped' };
