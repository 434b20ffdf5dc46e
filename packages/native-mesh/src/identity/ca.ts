import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, KEY_ALGORITHM, privateKeyFromPem, privateKeyToPem, x509, type CryptoKey } from './crypto.js';
import { IdentityError } from './errors.js';

/**
 * The mesh's certificate authority: a self-signed root (created on first start), or an
 * intermediate under a root the operator supplies, and its key.
 */
export interface CertificateAuthority {
  readonly trustDomain: string;
  /** The signing CA's certificate (the root itself, or the intermediate). */
  readonly certPem: string;
  readonly cert: x509.X509Certificate;
  readonly key: CryptoKey;
  /** What peers must trust: the root (PEM). Equal to `certPem` for a self-signed root. */
  readonly bundlePem: string;
  /** Certificates to send after a leaf so peers can chain it to the root: '' for a root, the intermediate otherwise. */
  readonly chainPem: string;
}

/** A root CA the operator supplies (`--ca-cert`, `--ca-key`): anymesh makes an intermediate under it. */
export interface SuppliedRoot {
  readonly certPem: string;
  readonly keyPem: string;
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
  const certPem = cert.toString('pem');
  return {
    ca: { trustDomain, certPem, cert, key: keys.privateKey, bundlePem: certPem, chainPem: '' },
    keyPem: await privateKeyToPem(keys.privateKey),
  };
}

const INTERMEDIATE_VALIDITY_MS = 365 * 24 * 3_600_000;

/** An intermediate CA for the mesh, signed by the operator's root; its validity ends no later than the root's. */
export async function createIntermediateCA(
  trustDomain: string,
  root: SuppliedRoot,
  now = new Date(),
): Promise<{ ca: CertificateAuthority; keyPem: string }> {
  let rootCert: x509.X509Certificate;
  let rootKey: CryptoKey;
  try {
    rootCert = new x509.X509Certificate(root.certPem);
    rootKey = await privateKeyFromPem(root.keyPem);
  } catch (error) {
    throw new IdentityError(
      'CA_STATE_INVALID',
      `the supplied root CA is not an ECDSA P-256 certificate and PKCS#8 key: ${(error as Error).message}`,
    );
  }
  const keys = await generateKeyPair();
  const notAfter = Math.min(now.getTime() + INTERMEDIATE_VALIDITY_MS, rootCert.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Date.now().toString(16).padStart(16, '0'),
    subject: `CN=anymesh intermediate CA, O=${trustDomain}`,
    issuer: rootCert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: rootKey,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootCert, false),
    ],
  });
  if (!(await cert.verify({ publicKey: rootCert.publicKey, signatureOnly: true }))) {
    throw new IdentityError('CA_STATE_INVALID', 'the supplied CA key does not belong to the supplied CA certificate');
  }
  const certPem = cert.toString('pem');
  return {
    ca: { trustDomain, certPem, cert, key: keys.privateKey, bundlePem: root.certPem, chainPem: certPem },
    keyPem: await privateKeyToPem(keys.privateKey),
  };
}

/**
 * Loads the CA from `stateDir` (ca.crt, ca.key, and root.crt for an intermediate), or creates and
 * persists one: a self-signed root, or an intermediate under `root` when given. The key file is
 * written with mode 0600 and replaced atomically; a CA whose trust domain differs is refused.
 */
export async function loadOrCreateCA(stateDir: string, trustDomain: string, root?: SuppliedRoot): Promise<CertificateAuthority> {
  const certFile = join(stateDir, 'ca.crt');
  const keyFile = join(stateDir, 'ca.key');
  const rootFile = join(stateDir, 'root.crt');
  const existing = await readPair(certFile, keyFile);
  if (existing) {
    const cert = new x509.X509Certificate(existing.certPem);
    if (!cert.subject.includes(`O=${trustDomain}`)) {
      throw new IdentityError(
        'CA_STATE_INVALID',
        `${certFile} belongs to another trust domain (${cert.subject}); move it away or set trustDomain to match`,
      );
    }
    const key = await privateKeyFromPem(existing.keyPem);
    const rootPem = await readFile(rootFile, 'utf8').catch(() => undefined);
    const bundlePem = rootPem ?? existing.certPem;
    return { trustDomain, certPem: existing.certPem, cert, key, bundlePem, chainPem: rootPem === undefined ? '' : existing.certPem };
  }
  const { ca, keyPem } = root ? await createIntermediateCA(trustDomain, root) : await createRootCA(trustDomain);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeAtomically(keyFile, keyPem, 0o600);
  await writeAtomically(certFile, ca.certPem, 0o644);
  if (root) await writeAtomically(rootFile, ca.bundlePem, 0o644);
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
