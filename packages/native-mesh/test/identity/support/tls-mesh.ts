import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { createKeyAndCsr, signWorkloadCsr, type CertificateAuthority } from '../../../src/identity/index.js';
import type { SidecarIdentity } from '../../../src/protocol/sidecar.js';

export const HOUR = 3_600_000;
export const idOf = (service: string) => `spiffe://cluster.local/ns/shop/sa/${service}`;

/** A SidecarIdentity backed by an in-process CA that signs for `spiffeId` with `ttlMs`; counts the certificates issued. */
export function identityFrom(ca: CertificateAuthority, spiffeId: string, ttlMs = HOUR): SidecarIdentity & { issued: number } {
  const source = {
    ca: ca.certPem,
    issued: 0,
    fetchCertificate: async (csrPem: string) => {
      source.issued++;
      return signWorkloadCsr(ca, csrPem, spiffeId, ttlMs);
    },
  };
  return source;
}

/** A key and certificate for `spiffeId` from `ca`, as an attacker or a stray workload would hold them. */
export async function credentials(ca: CertificateAuthority, spiffeId: string, ttlMs = HOUR, now = new Date()) {
  const { keyPem, csrPem } = await createKeyAndCsr(spiffeId);
  return { key: keyPem, cert: await signWorkloadCsr(ca, csrPem, spiffeId, ttlMs, now) };
}

export type Outcome = { status: number; body: string } | { error: string };

/**
 * One request straight to a sidecar's inbound port, over plaintext or TLS (with or without a
 * client certificate). Resolves with the status, or with the error that ended the attempt.
 */
export function direct(
  port: number,
  options: { tls?: { ca: string; key?: string; cert?: string }; headers?: OutgoingHttpHeaders } = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const common = { host: '127.0.0.1', port, path: '/direct', headers: { host: 'reviews', ...options.headers }, agent: false as const };
    const req = options.tls
      ? httpsRequest({ ...common, ...options.tls, minVersion: 'TLSv1.3', checkServerIdentity: () => undefined })
      : httpRequest(common);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}
