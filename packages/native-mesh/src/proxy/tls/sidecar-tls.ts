import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ConnectionOptions } from 'node:tls';
import type { SidecarIdentity } from '../../protocol/sidecar.js';
import type { ConfigSnapshot } from '../../protocol/types.js';
import { indexIdentities, type IdentityIndex } from './caller.js';
import { admittedOnly, secureInbound, type MtlsMode } from './inbound-listener.js';
import { WorkloadCertificates, type CertificateEvent } from './workload-certificates.js';

/**
 * The sidecar's mTLS concern in one place: its certificates (when it has an identity), the mode in
 * force (`Mesh.spec.mtls.mode` of the current snapshot; strict until the first one), and what the
 * listeners and upstream pools ask of them. A sidecar without an identity is plaintext throughout.
 */
export class SidecarTls {
  readonly certificates: WorkloadCertificates | undefined;
  #mode: MtlsMode = 'strict';
  #identities: IdentityIndex = new Map();

  private constructor(certificates: WorkloadCertificates | undefined) {
    this.certificates = certificates;
  }

  /** Obtains the first certificate for `spiffeId` (rejects when the CA refuses) when an identity source is given. */
  static async start(
    spiffeId: string,
    identity: SidecarIdentity | undefined,
    onEvent?: (event: CertificateEvent) => void,
  ): Promise<SidecarTls> {
    return new SidecarTls(identity ? await WorkloadCertificates.start(spiffeId, identity, onEvent) : undefined);
  }

  /** The mode enforced now: `disabled` for a sidecar without identity. */
  readonly mode = (): MtlsMode => (this.certificates ? this.#mode : 'disabled');

  readonly identities = (): IdentityIndex => this.#identities;

  /** Calls to other sidecars use mTLS unless the mode is disabled (permissive prefers mTLS). */
  readonly outboundMtls = (): boolean => this.mode() !== 'disabled';

  /** TLS options for a new connection to a sidecar that must prove `identity`, or undefined for plaintext. */
  readonly upstreamTls = (identity: string): ConnectionOptions | undefined =>
    this.certificates && this.outboundMtls() ? this.certificates.clientTlsOptions(identity) : undefined;

  configure(snapshot: ConfigSnapshot): void {
    this.#mode = snapshot.mesh.mtlsMode;
    this.#identities = indexIdentities(snapshot.instances);
  }

  /** Puts TLS in front of the (listening) inbound server, when the sidecar has an identity. */
  secureInbound(server: Server): void {
    if (this.certificates) secureInbound(server, this.certificates, this.mode);
  }

  guard(handler: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
    return admittedOnly(this.mode, handler);
  }

  close(): void {
    this.certificates?.close();
  }
}
