// Certificates for the mTLS cases, made with the mesh's own CA code: a root (persisted in `dir`, where
// the sidecar processes load it), and a workload
// certificate (SPIFFE URI SAN) for the client side and one for the server side.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKeyAndCsr, loadOrCreateCA, signWorkloadCsr } from './identity.js';
import type { TlsFiles } from './nginx.js';

export const TRUST_DOMAIN = 'bench.local';
export const CLIENT_ID = `spiffe://${TRUST_DOMAIN}/ns/bench/sa/client`;
export const SERVER_ID = `spiffe://${TRUST_DOMAIN}/ns/bench/sa/reviews`;
const TTL_MS = 3_600_000;

export interface TlsMaterial extends TlsFiles {
  /** The CA's state directory: sidecars load the CA from it and sign their own CSRs (SidecarIdentity). */
  readonly caDir: string;
}

export async function makeTlsMaterial(dir: string): Promise<TlsMaterial> {
  const ca = await loadOrCreateCA(dir, TRUST_DOMAIN);
  const write = (name: string, pem: string) => {
    const file = join(dir, name);
    writeFileSync(file, pem, { mode: 0o600 });
    return file;
  };
  const workload = async (id: string, name: string) => {
    const { keyPem, csrPem } = await createKeyAndCsr(id);
    return { key: write(`${name}.key`, keyPem), cert: write(`${name}.crt`, await signWorkloadCsr(ca, csrPem, id, TTL_MS)) };
  };
  const client = await workload(CLIENT_ID, 'client');
  const server = await workload(SERVER_ID, 'server');
  return {
    caDir: dir,
    caFile: write('ca-bundle.crt', ca.bundlePem),
    clientCertFile: client.cert,
    clientKeyFile: client.key,
    serverCertFile: server.cert,
    serverKeyFile: server.key,
  };
}
