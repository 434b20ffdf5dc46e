import type { ConfigSnapshot, InstanceInfo } from './types.js';

/**
 * Where a sidecar gets its configuration. The control-plane client implements it (register,
 * heartbeat, long-poll, keep the last good snapshot while the control plane is away); tests use a
 * static source. `subscribe` calls back with the current snapshot (if any) and every newer one.
 */
export interface ConfigSource {
  subscribe(onSnapshot: (snapshot: ConfigSnapshot) => void): void;
  close(): Promise<void>;
}

/** How to start one sidecar proxy (`anymesh proxy …` builds this from its flags). */
export interface SidecarOptions {
  /** The instance this sidecar fronts; `inboundPort`/`adminPort` are the ports to listen on (0 = any free port). */
  readonly instance: InstanceInfo;
  /** The app's own port on 127.0.0.1, where inbound requests are forwarded. */
  readonly appPort: number;
  /** Where the app sends its outbound calls (`Host: <service>` or absolute-form URLs); 0 = any free port. */
  readonly outboundPort: number;
  /** Address the listeners bind to. Default 127.0.0.1. */
  readonly bindHost?: string;
  readonly config: ConfigSource;
}

/** A running sidecar. Ports are the real ones after binding. */
export interface Sidecar {
  readonly inboundPort: number;
  readonly outboundPort: number;
  readonly adminPort: number;
  /** The config version in force (0 before the first snapshot). */
  readonly configVersion: number;
  /** Stops accepting, lets in-flight requests finish (bounded), closes pools. */
  close(): Promise<void>;
}
