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
  /**
   * Where the sidecar gets its mTLS certificate. Without it the sidecar has no identity and speaks
   * plaintext whatever `Mesh.spec.mtls.mode` says (tests, or a mesh run with mTLS off).
   */
  readonly identity?: SidecarIdentity;
}

/**
 * How a sidecar obtains its workload certificate. The sidecar makes its private key itself and
 * sends only a CSR for `instance.identity` (its SPIFFE ID); the CA answers with the signed
 * certificate. The sidecar renews at half the certificate's lifetime with a fresh key.
 */
export interface SidecarIdentity {
  /** PEM trust bundle: the mesh root(s) that peers' certificates must chain to. */
  readonly ca: string;
  /** Sends a PKCS#10 CSR (PEM) to the CA; resolves the certificate (PEM, leaf first, then any intermediates). */
  fetchCertificate(csrPem: string): Promise<string>;
  /**
   * Told each key and certificate the sidecar starts using, so the same process can present them
   * elsewhere (the control-plane client authenticates with them, and renews with the current one).
   */
  onIssued?(keyPem: string, certPem: string): void;
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
