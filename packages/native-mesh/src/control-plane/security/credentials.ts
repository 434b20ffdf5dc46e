import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { joinPem } from './certificates.js';
import { createKeyAndCsr, loadOrCreateCA, signWorkloadCsr, type CertificateAuthority, type SuppliedRoot } from '../../identity/index.js';

/** Files in the control plane's state dir (documented in docs/native-mesh/identity.md). */
export const ADMIN_TOKEN_FILE = 'admin-token';
export const JOIN_SECRET_FILE = 'join-secret';
/** The mesh's trust anchors, for sidecars and tools that talk TLS to the control plane (`--ca-file`). */
export const TRUST_BUNDLE_FILE = 'trust-bundle.crt';

/** The SPIFFE ID the control plane's own certificate carries; clients check it instead of a host name. */
export function controlPlaneSpiffeId(trustDomain: string): string {
  return `spiffe://${trustDomain}/anymesh/control-plane`;
}

/** Validity of the control plane's serving certificate; renewed at every start. */
const SERVING_CERT_TTL_MS = 30 * 24 * 3_600_000;

/** What the control plane authenticates with, created on first start and kept in its state dir. */
export interface ControlPlaneCredentials {
  readonly ca: CertificateAuthority;
  /** Bearer token for the admin API (apply, registry, policies). */
  readonly adminToken: string;
  /** The join token a sidecar of `spiffeId` presents for its first certificate. */
  joinToken(spiffeId: string): string;
  isAdminToken(token: string): boolean;
  isJoinToken(token: string, spiffeId: string): boolean;
  /** The control plane's serving key and certificate chain (PEM). */
  readonly serving: { readonly key: string; readonly cert: string };
}

/**
 * Loads or creates the CA, the admin token and the join secret (each file 0600; the directory
 * 0700), and issues the control plane's serving certificate. Join tokens are not stored: each is
 * an HMAC of the identity under the join secret, so the runner (or an operator) can hand a
 * sidecar a token that is good for its own identity only.
 */
export async function loadOrCreateCredentials(
  stateDir: string,
  trustDomain: string,
  root?: SuppliedRoot,
): Promise<ControlPlaneCredentials> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreateCA(stateDir, trustDomain, root);
  const adminToken = await loadOrCreateSecret(join(stateDir, ADMIN_TOKEN_FILE));
  const joinSecret = await loadOrCreateSecret(join(stateDir, JOIN_SECRET_FILE));
  await writeFile(join(stateDir, TRUST_BUNDLE_FILE), ca.bundlePem, { mode: 0o644 });
  const joinToken = (spiffeId: string) => createHmac('sha256', joinSecret).update(spiffeId).digest('base64url');
  const { keyPem, csrPem } = await createKeyAndCsr(controlPlaneSpiffeId(trustDomain));
  const leaf = await signWorkloadCsr(ca, csrPem, controlPlaneSpiffeId(trustDomain), SERVING_CERT_TTL_MS);
  return {
    ca,
    adminToken,
    joinToken,
    isAdminToken: (token) => sameSecret(token, adminToken),
    isJoinToken: (token, spiffeId) => sameSecret(token, joinToken(spiffeId)),
    serving: { key: keyPem, cert: joinPem(leaf, ca.chainPem) },
  };
}

/** Reads the admin token of a control plane from its state dir (the CLI and the dashboard use it). */
export async function readAdminToken(stateDir: string): Promise<string | undefined> {
  try {
    return (await readFile(join(stateDir, ADMIN_TOKEN_FILE), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function loadOrCreateSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${secret}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
  return secret;
}
