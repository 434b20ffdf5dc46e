import { spiffeId } from '@anymesh/core';
import { IdentityError, signWorkloadCsr } from '../../identity/index.js';
import type { CertificateRequest, IssuedCertificate } from '../../protocol/types.js';
import { HttpError } from '../http-io.js';
import type { MeshState } from '../mesh-state.js';
import { forbidden, unauthenticated, type Principal } from './auth.js';
import type { ControlPlaneCredentials } from './credentials.js';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * `POST /v1/certificates`: signs a sidecar's CSR for the identity of the service/version it names,
 * by the policies in force (a version with its own service account gets that one). Allowed with
 * the join token of that identity (first certificate), a current certificate of that identity
 * (renewal), or the admin token. The CSR must ask for exactly that identity.
 */
export async function issueCertificate(
  body: unknown,
  who: Principal,
  state: MeshState,
  credentials: ControlPlaneCredentials,
  ttlMs: number,
): Promise<IssuedCertificate> {
  const request = parseCertificateRequest(body);
  const account = state.serviceAccountOf(request.namespace, request.service, request.version);
  const identity = spiffeId(credentials.ca.trustDomain, request.namespace, account);
  const allowed =
    who.kind === 'admin' ||
    (who.kind === 'workload' && who.identity === identity) ||
    (who.kind === 'bearer' && credentials.isJoinToken(who.token, identity));
  if (!allowed) {
    if (who.kind === 'anonymous')
      throw unauthenticated(`a certificate for ${identity} needs its join token or a current certificate of it`);
    throw forbidden(`these credentials are not good for ${identity}`);
  }
  try {
    const leaf = await signWorkloadCsr(credentials.ca, request.csr, identity, ttlMs);
    return { spiffeId: identity, certificate: joinPem(leaf, credentials.ca.chainPem), ca: credentials.ca.bundlePem };
  } catch (error) {
    if (error instanceof IdentityError) throw new HttpError(400, error.code, error.message);
    throw error;
  }
}

/** PEM blocks one after another, each on its own lines. */
export function joinPem(...blocks: string[]): string {
  return blocks
    .filter((b) => b.trim() !== '')
    .map((b) => `${b.trim()}\n`)
    .join('');
}

function parseCertificateRequest(body: unknown): CertificateRequest {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of ['namespace', 'service'] as const) {
    if (typeof b[field] !== 'string' || !NAME.test(b[field])) problems.push(`${field} must be a name (lowercase letters, digits, dashes)`);
  }
  const version = b['version'];
  if (version !== undefined && version !== null && (typeof version !== 'string' || !NAME.test(version))) {
    problems.push('version must be a version name or absent');
  }
  if (typeof b['csr'] !== 'string' || !b['csr'].includes('CERTIFICATE REQUEST')) problems.push('csr must be a PEM PKCS#10 request');
  if (problems.length > 0) throw new HttpError(400, 'INVALID_CERTIFICATE_REQUEST', `invalid certificate request: ${problems.join('; ')}`);
  return {
    namespace: b['namespace'] as string,
    service: b['service'] as string,
    version: typeof version === 'string' ? version : undefined,
    csr: b['csr'] as string,
  };
}
