// One sidecar in its own process for the benchmark. argv[2]: JSON { instance, appPort, snapshot,
// caDir?, accessLogFile? } where caDir (a CA state directory) makes it an mTLS sidecar whose
// certificate requests that CA signs in-process, and accessLogFile is where access-log lines go
// (when the snapshot's Mesh turns them on). Prints `<inboundPort> <outboundPort>` once listening.
import { createWriteStream } from 'node:fs';
import { startSidecar, type ConfigSnapshot, type InstanceInfo } from '@anymesh/native-mesh';
import { loadOrCreateCA, signWorkloadCsr } from './identity.js';

const { instance, appPort, snapshot, caDir, accessLogFile } = JSON.parse(process.argv[2]!) as {
  instance: InstanceInfo;
  appPort: number;
  snapshot: ConfigSnapshot;
  caDir?: string;
  accessLogFile?: string;
};
const CERT_TTL_MS = 3_600_000;

async function identity(): Promise<object> {
  if (caDir === undefined) return {};
  const ca = await loadOrCreateCA(caDir, snapshot.mesh.trustDomain);
  return {
    identity: { ca: ca.bundlePem, fetchCertificate: (csrPem: string) => signWorkloadCsr(ca, csrPem, instance.identity, CERT_TTL_MS) },
  };
}

const sidecar = await startSidecar(
  {
    instance,
    appPort,
    outboundPort: 0,
    config: { subscribe: (on) => on(snapshot), close: async () => undefined },
    // Spread, not a literal property: the bench also builds against a sidecar without mTLS support.
    ...(await identity()),
  },
  accessLogFile === undefined ? {} : { accessLog: createWriteStream(accessLogFile, { flags: 'a' }) },
);
process.stdout.write(`${sidecar.inboundPort} ${sidecar.outboundPort}\n`);
process.on('SIGTERM', () => {
  void sidecar.close().then(() => process.exit(0));
});
