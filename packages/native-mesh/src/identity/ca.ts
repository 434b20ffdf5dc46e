import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, KEY_ALGORITHM, privateKeyFromPem, privateKeyToPem, x509, type CryptoKey } from './crypto.js';
import { IdentityError } from './errors.js';

/** The mesh's certificate authority: a self-signed root (created on first start) and its key. */
export interface CertificateAuthority {
  readonly trustDomain: string;
  readonly certPem: string;
  readonly cert: x509.X509Certificate;
  readonly key: CryptoKey;
}

const ROOT_VALIDITY_MS = 10 * 365 * 24 * 3_600_000; // 10 years, like Istio's self-signed root

export async function createRootCA(trustDomain: string, now = new Date()): Promise<{ ca: CertificateAuthority; keyPem: string }> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=anymesh root CA, O=${trustDomain}`,
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + ROOT_VALIDITY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { ca: { trustDomain, certPem: cert.toString('pem'), cert, key: keys.privateKey }, keyPem: await privateKeyToPem(keys.privateKey) };
}

/**
 * Loads the CA from `stateDir` (ca.crt, ca.key), or creates and persists one. The key file is
 * written with mode 0600 and replaced atomically; a CA whose trust domain differs is refused.
 */
export async function loadOrCreateCA(stateDir: string, trustDomain: string): Promise<CertificateAuthority> {
  const certFile = join(stateDir, 'ca.crt');
  const keyFile = join(stateDir, 'ca.key');
  const existing = await readPair(certFile, keyFile);
  if (existing) {
    const cert = new x509.X509Certificate(existing.certPem);
    if (!cert.subject.includes(`O=${trustDomain}`)) {
      throw new IdentityError(
        'CA_STATE_INVALID',
        `${certFile} belongs to another trust domain (${cert.subject}); move it away or set trustDomain to match`,
      );
    }
    return { trustDomain, certPem: existing.certPem, cert, key: await privateKeyFromPem(existing.keyPem) };
  }
  const { ca, keyPem } = await createRootCA(trustDomain);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeAtomically(keyFile, keyPem, 0o600);
  await writeAtomically(certFile, ca.certPem, 0o644);
  return ca;
}

async function readPair(certFile: string, keyFile: string): Promise<{ certPem: string; keyPem: string } | undefined> {
  try {
    return { certPem: await readFile(certFile, 'utf8'), keyPem: await readFile(keyFile, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IdentityError('CA_STATE_INVALID', `cannot read the CA state: ${(error as Error).message}`);
  }
}

async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode); // the umask may have widened it
  await rename(tmp, file);
}
