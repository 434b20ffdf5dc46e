import { X509Certificate } from 'node:crypto';
import { createSecureContext, type ConnectionOptions, type SecureContext } from 'node:tls';
import { createKeyAndCsr, spiffeIdOfCertificate } from '../../identity/index.js';
import type { SidecarIdentity } from '../../protocol/sidecar.js';

/** The sidecar's current key pair and certificate; replaced as a whole on rotation. */
interface Material {
  readonly key: string;
  readonly cert: string;
  readonly notAfter: number;
  readonly renewAt: number;
  /** Built once per certificate: parsing the key, certificate and CA for every connection would dominate a handshake. */
  readonly clientContext: SecureContext;
}

/** What the sidecar's certificate life reports (the proxy command logs these). */
export type CertificateEvent =
  | { readonly type: 'issued'; readonly spiffeId: string; readonly notAfter: Date }
  | { readonly type: 'renewal-failed'; readonly message: string; readonly retryInMs: number };

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 30_000;

/**
 * The sidecar's workload identity: a private key made here (it never leaves the process), a
 * certificate for it obtained by sending only the CSR to `identity.fetchCertificate`, and rotation
 * at half the certificate's remaining life with a fresh key. Rotation swaps the material for new
 * connections; connections already open keep the certificate they were made with, so requests in
 * flight are unaffected. A failed renewal is retried with backoff while the current certificate
 * is still valid.
 */
export class WorkloadCertificates {
  readonly spiffeId: string;
  readonly #identity: SidecarIdentity;
  readonly #onEvent: (event: CertificateEvent) => void;
  readonly #onRotate: (() => void)[] = [];
  #material: Material;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(spiffeId: string, identity: SidecarIdentity, material: Material, onEvent: (event: CertificateEvent) => void) {
    this.spiffeId = spiffeId;
    this.#identity = identity;
    this.#material = material;
    this.#onEvent = onEvent;
  }

  /** Obtains the first certificate (rejects if the CA refuses) and schedules its renewal. */
  static async start(
    spiffeId: string,
    identity: SidecarIdentity,
    onEvent: (event: CertificateEvent) => void = () => undefined,
  ): Promise<WorkloadCertificates> {
    const material = await issue(spiffeId, identity);
    identity.onIssued?.(material.key, material.cert);
    const certificates = new WorkloadCertificates(spiffeId, identity, material, onEvent);
    onEvent({ type: 'issued', spiffeId, notAfter: new Date(material.notAfter) });
    certificates.#schedule(material.renewAt - Date.now());
    return certificates;
  }

  /** The PEM trust bundle peers' certificates must chain to. */
  get ca(): string {
    return this.#identity.ca;
  }

  get certificatePem(): string {
    return this.#material.cert;
  }

  get notAfter(): Date {
    return new Date(this.#material.notAfter);
  }

  /** The current private key (PEM); it stays in this process. */
  get keyPem(): string {
    return this.#material.key;
  }

  /** Called after each rotation (listeners swap their server contexts, pools drop idle connections). */
  onRotate(listener: () => void): void {
    this.#onRotate.push(listener);
  }

  /**
   * TLS options for a connection to another sidecar: present our certificate, trust only the
   * mesh CA (both in a secure context made once per certificate), TLS 1.3 only, and accept the server only if its certificate names `expectedSpiffeId`
   * (the destination's identity): a valid mesh certificate for another workload is refused, so
   * no workload can impersonate another. Usable by node:http agents and undici alike.
   */
  clientTlsOptions(expectedSpiffeId: string): ConnectionOptions {
    return {
      secureContext: this.#material.clientContext,
      minVersion: 'TLSv1.3',
      // SNI carries no hostname in the mesh; the SPIFFE ID is checked below.
      servername: undefined,
      checkServerIdentity: (_host, peer) => {
        const san = peer.subjectaltname ?? '';
        if (san.split(', ').includes(`URI:${expectedSpiffeId}`)) return undefined;
        return new PeerIdentityError(`the server's certificate names ${san || 'no identity'}, expected ${expectedSpiffeId}`);
      },
    };
  }

  /** Renews now (tests; operators after a CA change). */
  async rotate(): Promise<void> {
    const material = await issue(this.spiffeId, this.#identity);
    if (this.#closed) return;
    this.#material = material;
    this.#identity.onIssued?.(material.key, material.cert);
    this.#onEvent({ type: 'issued', spiffeId: this.spiffeId, notAfter: new Date(material.notAfter) });
    for (const listener of this.#onRotate) listener();
    this.#schedule(material.renewAt - Date.now());
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #schedule(delayMs: number, retryMs = RETRY_MIN_MS): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.rotate().catch((error: unknown) => {
          const next = Math.min(retryMs * 2, RETRY_MAX_MS);
          this.#onEvent({ type: 'renewal-failed', message: (error as Error).message, retryInMs: retryMs });
          this.#schedule(retryMs, next);
        });
      },
      Math.max(0, delayMs),
    );
    this.#timer.unref();
  }
}

async function issue(spiffeId: string, identity: SidecarIdentity): Promise<Material> {
  const { keyPem, csrPem } = await createKeyAndCsr(spiffeId);
  const cert = await identity.fetchCertificate(csrPem);
  const leaf = firstPem(cert);
  const issued = spiffeIdOfCertificate(leaf);
  if (issued !== spiffeId) throw new Error(`the CA issued a certificate for ${issued ?? 'no identity'}, expected ${spiffeId}`);
  const notAfter = new Date(new X509Certificate(leaf).validTo).getTime();
  // Half of the life left from now (the CA backdates notBefore for clock skew, which would put
  // "half of notBefore..notAfter" in the past for a short-lived certificate).
  const receivedAt = Date.now();
  return {
    key: keyPem,
    cert,
    notAfter,
    renewAt: receivedAt + (notAfter - receivedAt) / 2,
    clientContext: createSecureContext({ key: keyPem, cert, ca: identity.ca, minVersion: 'TLSv1.3' }),
  };
}

/** The leaf of a PEM chain (leaf first, then intermediates). */
function firstPem(chain: string): string {
  const end = chain.indexOf('-----END CERTIFICATE-----');
  return end === -1 ? chain : chain.slice(0, end + '-----END CERTIFICATE-----'.length) + '\n';
}

/** A server presented a valid mesh certificate for another workload than the destination (impersonation). */
export class PeerIdentityError extends Error {
  override readonly name = 'PeerIdentityError';
  readonly code = 'ERR_ANYMESH_PEER_IDENTITY';
  /** Shaped like node's own checkServerIdentity errors, which tls reads `reason` from. */
  readonly reason: string;
  constructor(message: string) {
    super(message);
    this.reason = message;
  }
}
