import { randomBytes } from 'node:crypto';
import { generateKeyPair, KEY_ALGORITHM, privateKeyToPem, x509 } from './crypto.js';
import type { CertificateAuthority } from './ca.js';
import { IdentityError } from './errors.js';

/** Made by the sidecar: its private key never leaves it; only the CSR goes to the control plane. */
export async function createKeyAndCsr(spiffeId: string): Promise<{ keyPem: string; csrPem: string }> {
  const keys = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'O=anymesh workload',
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spiffeId }])],
  });
  return { keyPem: await privateKeyToPem(keys.privateKey), csrPem: csr.toString('pem') };
}

/**
 * Signs a workload CSR for exactly `spiffeId` (the identity the control plane authenticated the
 * requester as): a CSR asking for any other URI SAN is refused, so a sidecar cannot mint someone
 * else's identity. The certificate is valid for client and server auth, for `ttlMs`.
 */
export async function signWorkloadCsr(
  ca: CertificateAuthority,
  csrPem: string,
  spiffeId: string,
  ttlMs: number,
  now = new Date(),
): Promise<string> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (error) {
    throw new IdentityError('CSR_INVALID', `not a PKCS#10 request: ${(error as Error).message}`);
  }
  if (!(await csr.verify())) throw new IdentityError('CSR_INVALID', 'the CSR signature does not verify');
  const requested = uriSans(csr.extensions.find((e) => e instanceof x509.SubjectAlternativeNameExtension));
  if (requested.length !== 1 || requested[0] !== spiffeId) {
    throw new IdentityError('CSR_IDENTITY_MISMATCH', `the CSR asks for ${JSON.stringify(requested)}, but this workload is ${spiffeId}`);
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    subject: 'O=anymesh workload',
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - 60_000), // tolerate small clock skew
    notAfter: new Date(now.getTime() + ttlMs),
    publicKey: csr.publicKey,
    signingKey: ca.key,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spiffeId }], true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
    ],
  });
  return cert.toString('pem');
}

/** When to renew: at half the certificate's lifetime (Istio's default grace ratio). */
export function renewalTime(certPem: string): Date {
  const cert = new x509.X509Certificate(certPem);
  const notBefore = cert.notBefore.getTime();
  return new Date(notBefore + (cert.notAfter.getTime() - notBefore) / 2);
}

/** The SPIFFE ID (URI SAN) of a certificate, or undefined. */
export function spiffeIdOfCertificate(certPem: string): string | undefined {
  const cert = new x509.X509Certificate(certPem);
  return uriSans(cert.getExtension(x509.SubjectAlternativeNameExtension)).find((u) => u.startsWith('spiffe://'));
}

function uriSans(ext: x509.SubjectAlternativeNameExtension | null | undefined): string[] {
  return (ext?.names.items ?? []).filter((n) => n.type === 'url').map((n) => n.value);
}
