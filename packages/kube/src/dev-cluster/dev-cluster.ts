import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevClusterError } from '../errors.js';
import { findKubeBinaries, kubeBinaryDir } from './paths.js';
import { freePort, ManagedProcess, waitUntil } from './processes.js';

export interface DevClusterOptions {
  /** Working directory (etcd data, certificates, logs, kubeconfig); a fresh temporary one by default. */
  readonly dir?: string;
  /** Start-up bound for each of etcd and kube-apiserver. */
  readonly startTimeoutMs?: number;
}

/** A running etcd + kube-apiserver on 127.0.0.1, reached with the tokens below (RBAC authorizes). */
export interface DevCluster {
  /** `https://127.0.0.1:<port>`. */
  readonly server: string;
  /** A kubeconfig with contexts `anymesh-dev` (admin, system:masters) and `anymesh-dev-limited`. */
  readonly kubeconfigPath: string;
  /** The serving certificate's CA bundle (kube-apiserver's self-signed certificate). */
  readonly caPath: string;
  readonly adminToken: string;
  /** User `anymesh-limited`: authenticated, no roles; tests bind the roles they need. */
  readonly limitedToken: string;
  readonly dir: string;
  stop(): Promise<void>;
}

export const DEV_CONTEXT = 'anymesh-dev';
export const LIMITED_CONTEXT = 'anymesh-dev-limited';
export const LIMITED_USER = 'anymesh-limited';

/**
 * Starts etcd and kube-apiserver built by test-env/kube/build.sh, with the flags upstream's own test server and
 * envtest use: token authentication (an admin token in system:masters, a limited one), RBAC authorization, the
 * ServiceAccount admission plugin off (no controller manager creates tokens here), everything on 127.0.0.1.
 */
export async function startDevCluster(options: DevClusterOptions = {}): Promise<DevCluster> {
  const binaries = findKubeBinaries();
  if (!binaries)
    throw new DevClusterError(
      `kube-apiserver and etcd are not built (looked in ${kubeBinaryDir()}); run test-env/kube/build.sh (a cold build takes 10-25 min)`,
    );
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'anymesh-kube-'));
  const timeout = options.startTimeoutMs ?? 60_000;
  const started: ManagedProcess[] = [];
  const killAll = (): void => started.forEach((p) => p.killNow());
  process.once('exit', killAll);
  try {
    const etcdPort = await freePort();
    const etcd = startEtcd(binaries.etcd, dir, etcdPort, await freePort());
    started.push(etcd);
    await waitUntil(etcd, 'healthy', () => etcdHealthy(etcdPort), timeout);

    const files = writeCredentials(dir);
    const port = await freePort();
    const apiserver = startApiserver(binaries.kubeApiserver, dir, port, etcdPort, files);
    started.push(apiserver);
    const server = `https://127.0.0.1:${port}`;
    await waitUntil(apiserver, 'ready (/readyz)', () => readyz(port, files.adminToken), timeout);
    const caPath = join(dir, 'certs', 'apiserver.crt');
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfig(server, caPath, files.adminToken, files.limitedToken), { mode: 0o600 });
    return {
      server,
      kubeconfigPath,
      caPath,
      adminToken: files.adminToken,
      limitedToken: files.limitedToken,
      dir,
      stop: async () => {
        process.removeListener('exit', killAll);
        for (const p of [...started].reverse()) await p.stop();
        if (!options.dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    process.removeListener('exit', killAll);
    for (const p of [...started].reverse()) await p.stop();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function startEtcd(binary: string, dir: string, clientPort: number, peerPort: number): ManagedProcess {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return new ManagedProcess(
    'etcd',
    binary,
    [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=default=${peer}`,
      // A throw-away store: durability costs fsyncs and buys nothing here (envtest does the same).
      '--unsafe-no-fsync',
    ],
    join(dir, 'etcd.log'),
  );
}

interface Credentials {
  readonly adminToken: string;
  readonly limitedToken: string;
  readonly tokenFile: string;
  readonly serviceAccountKey: string;
}

function writeCredentials(dir: string): Credentials {
  mkdirSync(join(dir, 'certs'), { recursive: true });
  const adminToken = randomBytes(24).toString('hex');
  const limitedToken = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(
    tokenFile,
    `${adminToken},anymesh-admin,anymesh-admin,"system:masters"\n${limitedToken},${LIMITED_USER},${LIMITED_USER}\n`,
    { mode: 0o600 },
  );
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccountKey = join(dir, 'sa.key');
  writeFileSync(serviceAccountKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { adminToken, limitedToken, tokenFile, serviceAccountKey };
}

function startApiserver(binary: string, dir: string, port: number, etcdPort: number, files: Credentials): ManagedProcess {
  return new ManagedProcess(
    'kube-apiserver',
    binary,
    [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      `--cert-dir=${join(dir, 'certs')}`,
      `--secure-port=${port}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // No kube-controller-manager or nodes here; the kubernetes Service endpoint would be a loopback address,
      // which the reconciler refuses.
      '--endpoint-reconciler-type=none',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${files.serviceAccountKey}`,
      `--service-account-signing-key-file=${files.serviceAccountKey}`,
      `--token-auth-file=${files.tokenFile}`,
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
    ],
    join(dir, 'kube-apiserver.log'),
  );
}

async function etcdHealthy(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
  return response.ok && ((await response.json()) as { health?: string }).health === 'true';
}

/** /readyz with the admin token. The certificate is not checked here: it is our own child's, just generated. */
function readyz(port: number, token: string): Promise<boolean> {
  return new Promise((resolveReady) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/readyz',
        headers: { authorization: `Bearer ${token}` },
        rejectUnauthorized: false,
        timeout: 2_000,
      },
      (res) => {
        res.resume();
        resolveReady(res.statusCode === 200);
      },
    );
    req.on('error', () => resolveReady(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function kubeconfig(server: string, caPath: string, adminToken: string, limitedToken: string): string {
  if (!existsSync(caPath)) throw new DevClusterError(`kube-apiserver did not write its certificate ${caPath}`);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${DEV_CONTEXT}`,
    `  cluster: { server: "${server}", certificate-authority: "${caPath}" }`,
    'users:',
    `- name: anymesh-admin`,
    `  user: { token: "${adminToken}" }`,
    `- name: ${LIMITED_USER}`,
    `  user: { token: "${limitedToken}" }`,
    'contexts:',
    `- name: ${DEV_CONTEXT}`,
    `  context: { cluster: ${DEV_CONTEXT}, user: anymesh-admin, namespace: default }`,
    `- name: ${LIMITED_CONTEXT}`,
    `  context: { cluster: ${DEV_CONTEXT}, user: ${LIMITED_USER}, namespace: default }`,
    `current-context: ${DEV_CONTEXT}`,
    '',
  ].join('\n');
}
