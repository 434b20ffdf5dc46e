import type { MeshSettings, PolicyObject } from '@anymesh/core';

/**
 * The contract between the control plane and sidecars (HTTP/1.1 + JSON on the control-plane port).
 *
 *   POST /v1/instances            RegisterRequest      -> RegisterResponse   (also the heartbeat)
 *   DELETE /v1/instances/:id                           -> 204
 *   GET  /v1/config?after=<ver>                        -> ConfigSnapshot     (long poll: answers when a
 *                                                         snapshot newer than `after` exists, or after
 *                                                         ~25 s with the current one)
 *   POST /v1/policies             { sources: {file,text}[] } -> ApplyResult  (admin: validate, then swap)
 *   GET  /v1/registry                                  -> InstanceInfo[]     (admin)
 *   POST /v1/certificates         CertificateRequest   -> IssuedCertificate  (join token or current certificate)
 *
 * Authentication (docs/native-mesh/identity.md): admin endpoints need `Authorization: Bearer
 * <admin token>`; sidecar endpoints (instances, config) a mesh client certificate over TLS on the
 * same port (or the admin token); the first certificate of a sidecar its join token.
 *
 * Sidecars compile the neutral policies themselves with @anymesh/core, so the native mesh runs
 * exactly the semantics the adapters' fidelity tests check.
 */

/** One running instance of a service version, as its sidecar registers it. */
export interface InstanceInfo {
  /** Unique per instance, e.g. `reviews-v3-0`. */
  readonly id: string;
  readonly namespace: string;
  readonly service: string;
  /** Version name from the Service's `versions`, or undefined when the service has none. */
  readonly version: string | undefined;
  /** Where other sidecars reach this instance: its sidecar's inbound listener. */
  readonly host: string;
  readonly inboundPort: number;
  /** The service port this instance serves (Service.spec.ports[].port). */
  readonly servicePort: number;
  /** The sidecar's admin port (metrics, health). */
  readonly adminPort: number;
  readonly locality: { readonly region?: string; readonly zone?: string } | undefined;
  /** SPIFFE ID the instance's certificate carries; a sidecar registering with a certificate must match it. */
  readonly identity: string;
}

export type RegisterRequest = InstanceInfo;

export interface RegisterResponse {
  /** How often to heartbeat; an instance silent for 3 intervals is dropped. */
  readonly heartbeatIntervalMs: number;
  readonly configVersion: number;
}

/** Everything a sidecar needs; versions increase monotonically and survive control-plane restarts. */
export interface ConfigSnapshot {
  readonly version: number;
  readonly mesh: MeshSettings;
  /** The neutral objects in force (schema-valid and checked), in load order. */
  readonly policies: readonly PolicyObject[];
  /** Live instances, healthy or not by the control plane's view (heartbeating). */
  readonly instances: readonly InstanceInfo[];
}

export interface ApplyResult {
  readonly applied: boolean;
  readonly version: number;
  readonly diagnostics: readonly import('@anymesh/core').Diagnostic[];
}

/** A sidecar's request for a workload certificate: its private key stays with it, only the CSR is sent. */
export interface CertificateRequest {
  readonly namespace: string;
  readonly service: string;
  readonly version: string | undefined;
  /** PEM PKCS#10 request whose only URI SAN is the identity of that service/version. */
  readonly csr: string;
}

export interface IssuedCertificate {
  /** The identity the certificate carries. */
  readonly spiffeId: string;
  /** PEM: the leaf, then any intermediate. */
  readonly certificate: string;
  /** PEM trust bundle (the mesh root). */
  readonly ca: string;
}
