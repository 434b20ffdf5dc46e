import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKeyAndCsr,
  createRootCA,
  IdentityError,
  loadOrCreateCA,
  renewalTime,
  signWorkloadCsr,
  spiffeIdOfCertificate,
  verifiedPeerIdentity,
  type CertificateAuthority,
} from '../../src/identity/index.js';

const FRONTEND = 'spiffe://cluster.local/ns/bookstore/sa/frontend';
const REVIEWS = 'spiffe://cluster.local/ns/bookstore/sa/reviews';
const HOUR = 3_600_000;

async function workload(ca: CertificateAuthority, id: string, ttlMs = 24 * HOUR, now = new Date()) {
  const { keyPem, csrPem } = await createKeyAndCsr(id);
  return { key: keyPem, cert: await signWorkloadCsr(ca, csrPem, id, ttlMs, now) };
}

/** A strict-mTLS TLS 1.3 server answering each connection with the caller's verified identity. */
function startServer(ca: CertificateAuthority, creds: { key: string; cert: string }): Promise<{ server: Server; port: number }> {
  const server = createServer(
    { ...creds, ca: ca.certPem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' },
    (socket: TLSSocket) => socket.end(verifiedPeerIdentity(socket) ?? 'anonymous'),
  );
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })),
  );
}

function call(port: number, opts: { key?: string; cert?: string; ca: string }): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ...opts,
      servername: 'reviews',
      checkServerIdentity: () => undefined,
      minVersion: 'TLSv1.3',
    });
    let body = '';
    socket.on('data', (d: Buffer) => (body += d.toString()));
    socket.on('end', () => resolve(body || 'closed'));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(`rejected: ${e.code ?? e.message}`));
    socket.setTimeout(5_000, () => socket.destroy(new Error('timeout')));
  });
}

describe('mesh identities and strict mTLS', () => {
  let ca: CertificateAuthority;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    ca = (await createRootCA('cluster.local')).ca;
    ({ server, port } = await startServer(ca, await workload(ca, REVIEWS)));
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('issues workload certificates whose URI SAN is the SPIFFE ID, renewed at half their lifetime', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const { cert } = await workload(ca, FRONTEND, 24 * HOUR, now);
    expect(spiffeIdOfCertificate(cert)).toBe(FRONTEND);
    expect(renewalTime(cert).getTime()).toBe(now.getTime() - 60_000 + (24 * HOUR + 60_000) / 2);
  });

  it('lets the server see the verified identity of a caller with a mesh certificate', async () => {
    expect(await call(port, { ...(await workload(ca, FRONTEND)), ca: ca.certPem })).toBe(FRONTEND);
  });

  it('rejects a client without a certificate', async () => {
    expect(await call(port, { ca: ca.certPem })).toMatch(/rejected|closed/);
  });

  it('rejects a client whose certificate comes from another CA', async () => {
    const other = (await createRootCA('cluster.local')).ca;
    expect(await call(port, { ...(await workload(other, FRONTEND)), ca: ca.certPem })).toMatch(/rejected|closed/);
  });

  it('rejects a client with an expired certificate', async () => {
    const expired = await workload(ca, FRONTEND, HOUR, new Date(Date.now() - 3 * HOUR));
    expect(await call(port, { ...expired, ca: ca.certPem })).toMatch(/rejected|closed/);
  });

  it('refuses to sign a CSR for an identity other than the requester’s', async () => {
    const { csrPem } = await createKeyAndCsr(REVIEWS);
    await expect(signWorkloadCsr(ca, csrPem, FRONTEND, HOUR)).rejects.toMatchObject({ code: 'CSR_IDENTITY_MISMATCH' });
    await expect(signWorkloadCsr(ca, 'not a csr', FRONTEND, HOUR)).rejects.toBeInstanceOf(IdentityError);
  });

  it('persists the CA with a 0600 key and loads the same CA on the next start', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'anymesh-ca-')), 'state');
    const first = await loadOrCreateCA(dir, 'cluster.local');
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateCA(dir, 'cluster.local');
    expect(second.certPem).toBe(first.certPem);
    await expect(loadOrCreateCA(dir, 'other.domain')).rejects.toMatchObject({ code: 'CA_STATE_INVALID' });
  });
});
