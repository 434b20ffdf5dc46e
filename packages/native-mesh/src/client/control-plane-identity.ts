import { X509Certificate } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import type { SidecarIdentity } from '../protocol/sidecar.js';
import type { IssuedCertificate } from '../protocol/types.js';
import { controlPlaneFetch } from './control-plane-auth.js';

export interface ControlPlaneIdentityOptions {
  /** The control plane, e.g. `http://127.0.0.1:15000` (its port speaks TLS too; https is used). */
  readonly url: string;
  /** The mesh trust bundle (PEM), e.g. the control plane's `trust-bundle.crt`. */
  readonly ca: string;
  /** The control plane's SPIFFE ID, checked instead of a host name: `spiffe://<trust domain>/anymesh/control-plane`. */
  readonly controlPlaneId: string;
  /** The join token for this sidecar's identity: for the first certificate, and again if the current one has expired. */
  readonly joinToken: string;
  /** What the certificate is for: the control plane issues the identity of this service/version. */
  readonly instance: { readonly namespace: string; readonly service: string; readonly version: string | undefined };
}

const REQUEST_TIMEOUT_MS = 10_000;
/** A certificate this close to expiry is not presented: the handshake and the request could outlive it. */
const EXPIRY_MARGIN_MS = 1_000;

/**
 * A sidecar's certificate source backed by the control plane's CA: the first certificate is asked
 * for with the join token, renewals with the current certificate (mutual TLS), and with the join
 * token again once the current certificate has expired. Also gives the
 * TLS options the sidecar's control-plane client authenticates with.
 */
export class ControlPlaneIdentity implements SidecarIdentity {
  readonly ca: string;
  readonly #options: ControlPlaneIdentityOptions;
  #current: { readonly key: string; readonly cert: string; readonly notAfter: number } | undefined;

  constructor(options: ControlPlaneIdentityOptions) {
    this.ca = options.ca;
    this.#options = options;
  }

  onIssued(keyPem: string, certPem: string): void {
    this.#current = { key: keyPem, cert: certPem, notAfter: new Date(new X509Certificate(certPem).validTo).getTime() };
  }

  /**
   * The certificate to authenticate with, unless it has (nearly) expired: a sidecar whose renewal
   * ran late (a paused VM, a starved process) falls back to its join token instead of being locked
   * out; the token already entitles it to a certificate of this identity, so nothing is widened.
   */
  #valid(): { readonly key: string; readonly cert: string } | undefined {
    const current = this.#current;
    return current && current.notAfter - EXPIRY_MARGIN_MS > Date.now() ? { key: current.key, cert: current.cert } : undefined;
  }

  /** TLS to the control plane: verify it by the mesh CA and its SPIFFE ID, present the current certificate once there is one. */
  readonly tlsOptions = (): ConnectionOptions => {
    const expected = this.#options.controlPlaneId;
    return {
      ca: this.ca,
      ...(this.#valid() ?? {}),
      minVersion: 'TLSv1.3',
      checkServerIdentity: (_host, peer) =>
        (peer.subjectaltname ?? '').split(', ').includes(`URI:${expected}`)
          ? undefined
          : new Error(`the control plane's certificate names ${peer.subjectaltname ?? 'nothing'}, expected ${expected}`),
    };
  };

  async fetchCertificate(csrPem: string): Promise<string> {
    // A client per request: a renewal must not reuse a connection made before this sidecar had a certificate.
    const client = controlPlaneFetch(this.#options.url, { tls: this.tlsOptions });
    const renewing = this.#valid() !== undefined;
    try {
      const { namespace, service, version } = this.#options.instance;
      const response = await client.fetch('/v1/certificates', {
        method: 'POST',
        body: JSON.stringify({ namespace, service, version, csr: csrPem }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        ...(renewing ? {} : { token: this.#options.joinToken }),
      });
      const body = (await response.json().catch(() => ({}))) as Partial<IssuedCertificate> & {
        error?: { code?: string; message?: string };
      };
      if (!response.ok || typeof body.certificate !== 'string') {
        throw new Error(
          `the control plane refused the certificate (${response.status} ${body.error?.code ?? ''}: ${body.error?.message ?? 'no reason'})`,
        );
      }
      return body.certificate;
    } finally {
      await client.close().catch(() => undefined);
    }
  }
}
