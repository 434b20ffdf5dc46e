// Proxy benchmark: the same load direct to an app, through one sidecar (the inbound hop), through
// a sidecar pair (client sidecar → server sidecar), and through references (a minimal node:http
// proxy pair; an nginx pair when nginx is installed), plaintext and mutual TLS — every proxy in its
// own process, all measured in one run so ratios compare like with like. Each setup gets a
// fixed-rate phase (open loop) and a saturation phase (closed loop).
// Run: `pnpm bench:proxy` (builds first). Env: BENCH_RATE, BENCH_CONCURRENCY, BENCH_DURATION_MS,
// BENCH_WARMUP_MS, BENCH_CPU_PROF=<dir> (profile the sidecars), BENCH_OUT=<file>, BENCH_ONLY=<regex>.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { loadTexts, meshSettings } from '@anymesh/core';
import type { ConfigSnapshot, InstanceInfo } from '@anymesh/native-mesh';
import { runClosedLoop, runOpenLoop, type LoadOptions, type LoadResult } from './load.js';
import { nginxTempDir, nginxVersion, startNginxPair } from './nginx.js';
import { cpuMs, peakRssMb, startScript, stopAll } from './processes.js';
import { markdownReport, type PhaseResult, type SetupResult } from './report.js';
import { CLIENT_ID, makeTlsMaterial, SERVER_ID, TRUST_DOMAIN, type TlsMaterial } from './tls-material.js';

const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 4_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1_500);
const OUT = process.env.BENCH_OUT ?? 'test-results/bench-proxy.md';
const ONLY = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY);
const PROFILE = process.env.BENCH_CPU_PROF;
const tempDirs: string[] = [];

const POLICIES = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: bench }
spec: { ports: [{ port: 9080 }], versions: { v1: { labels: { version: v1 } } } }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: client, namespace: bench }
spec: { ports: [{ port: 8080 }] }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: bench }
spec:
  service: reviews
  rules:
    - matches: [{ headers: { x-user: { exact: internal } } }]
      destinations: [{ version: v1 }]
    - destinations: [{ version: v1 }]
      timeout: 5s
      retries: { attempts: 2, on: [5xx, connect-failure] }
`;

interface Setup {
  readonly name: string;
  readonly kind: SetupResult['kind'];
  readonly port: number;
  /** The proxy processes whose CPU and memory the row reports. */
  readonly proxies: readonly ChildProcess[];
  readonly isReferencePair?: boolean;
  readonly isDirect?: boolean;
}

function instance(id: string, service: string, version: string | undefined, identity: string): InstanceInfo {
  return {
    id,
    namespace: 'bench',
    service,
    version,
    host: '127.0.0.1',
    inboundPort: 0,
    servicePort: 9080,
    adminPort: 0,
    locality: undefined,
    identity,
  };
}

function snapshot(instances: InstanceInfo[], mtls: boolean): ConfigSnapshot {
  const loaded = loadTexts([{ file: 'bench.yaml', text: POLICIES }]);
  if (!loaded.valid) throw new Error('benchmark policies are invalid');
  // mTLS rows run as the issue asks: strict mTLS with metrics and access logs on.
  const mesh = { ...meshSettings(undefined), trustDomain: TRUST_DOMAIN, mtlsMode: mtls ? 'strict' : 'disabled', accessLogs: mtls } as const;
  return {
    version: 1,
    mesh,
    policies: loaded.set.objects.map((o) => o.object),
    instances,
  };
}

async function startSidecarPair(
  appPort: number,
  tls: TlsMaterial | undefined,
): Promise<{ server: ChildProcess; client: ChildProcess; inbound: number; outbound: number }> {
  const flags = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
  const caDir = tls?.caDir;
  const accessLogFile = tls && join(tls.caDir, 'access.log');
  const serverInstance = instance('reviews-v1-0', 'reviews', 'v1', SERVER_ID);
  const server = await startScript(
    'sidecar-process.js',
    [JSON.stringify({ instance: serverInstance, appPort, snapshot: snapshot([], !!tls), caDir, accessLogFile })],
    flags,
  );
  const inbound = Number(server.line.split(' ')[0]);
  const live = [{ ...serverInstance, inboundPort: inbound }];
  const clientArgs = {
    instance: instance('client-0', 'client', undefined, CLIENT_ID),
    appPort: 1,
    snapshot: snapshot(live, !!tls),
    caDir,
    accessLogFile,
  };
  const client = await startScript('sidecar-process.js', [JSON.stringify(clientArgs)], flags);
  return { server: server.child, client: client.child, inbound, outbound: Number(client.line.split(' ')[1]) };
}

async function startRawPair(
  appPort: number,
  tls: TlsMaterial | undefined,
): Promise<{ server: ChildProcess; client: ChildProcess; serverPort: number; clientPort: number }> {
  const side = (s: 'client' | 'server') =>
    tls && {
      side: s,
      ca: tls.caFile,
      cert: s === 'client' ? tls.clientCertFile : tls.serverCertFile,
      key: s === 'client' ? tls.clientKeyFile : tls.serverKeyFile,
    };
  const server = await startScript('raw-proxy-process.js', [JSON.stringify({ upstreamPort: appPort, tls: side('server') })]);
  const serverPort = Number(server.line);
  const client = await startScript('raw-proxy-process.js', [JSON.stringify({ upstreamPort: serverPort, tls: side('client') })]);
  return { server: server.child, client: client.child, serverPort, clientPort: Number(client.line) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs one phase, sampling the proxies' CPU time around the measured window. */
async function phase(setup: Setup, run: (options: LoadOptions) => Promise<LoadResult>): Promise<PhaseResult> {
  let before: number[] = [];
  let spent = NaN;
  const result = await run({
    port: setup.port,
    host: 'reviews',
    durationMs: DURATION_MS,
    warmupMs: WARMUP_MS,
    onWindow: (edge) => {
      if (edge === 'start') before = setup.proxies.map(cpuMs);
      else spent = setup.proxies.reduce((sum, p, i) => sum + cpuMs(p) - before[i]!, 0);
    },
  });
  const handled = result.requests + result.errors;
  return {
    ...result,
    proxyCpuUsPerRequest: setup.proxies.length === 0 ? NaN : (spent * 1000) / Math.max(1, handled),
    proxyPeakRssMb: Math.max(...setup.proxies.map(peakRssMb)),
  };
}

async function measure(setup: Setup): Promise<SetupResult> {
  process.stderr.write(`  ${setup.name}…\n`);
  const rate = await phase(setup, (o) => runOpenLoop({ ...o, rate: RATE, maxConnections: 64 }));
  const saturation = await phase(setup, (o) => runClosedLoop({ ...o, concurrency: CONCURRENCY }));
  return { name: setup.name, kind: setup.kind, isReferencePair: !!setup.isReferencePair, isDirect: !!setup.isDirect, rate, saturation };
}

async function setups(appPort: number): Promise<Setup[]> {
  const list: Setup[] = [{ name: 'direct (app only)', kind: 'plaintext', port: appPort, proxies: [], isDirect: true }];
  const sidecars = await startSidecarPair(appPort, undefined);
  list.push({ name: 'anymesh: one sidecar (inbound hop)', kind: 'plaintext', port: sidecars.inbound, proxies: [sidecars.server] });
  list.push({ name: 'anymesh: sidecar pair', kind: 'plaintext', port: sidecars.outbound, proxies: [sidecars.client, sidecars.server] });
  const raw = await startRawPair(appPort, undefined);
  list.push({ name: 'node:http proxy pair (reference)', kind: 'plaintext', port: raw.clientPort, proxies: [raw.client, raw.server] });
  const tls = await makeTlsMaterial(nginxDir());
  const hasNginx = nginxVersion() !== undefined;
  if (hasNginx) {
    const nginx = await startNginxPair(nginxDir(), appPort, { client: await freePort(), server: await freePort() });
    list.push({ name: 'nginx: one hop (reference)', kind: 'plaintext', port: nginx.serverPort, proxies: [nginx.server] });
    list.push({
      name: 'nginx pair (reference)',
      kind: 'plaintext',
      port: nginx.clientPort,
      proxies: [nginx.client, nginx.server],
      isReferencePair: true,
    });
  }
  if (await sidecarSupportsMtls()) {
    const mtls = await startSidecarPair(appPort, tls);
    list.push({ name: 'anymesh: sidecar pair, mTLS', kind: 'mTLS', port: mtls.outbound, proxies: [mtls.client, mtls.server] });
  }
  const rawTls = await startRawPair(appPort, tls);
  list.push({ name: 'node:https mTLS pair (reference)', kind: 'mTLS', port: rawTls.clientPort, proxies: [rawTls.client, rawTls.server] });
  if (hasNginx) {
    const nginx = await startNginxPair(nginxDir(), appPort, { client: await freePort(), server: await freePort() }, tls);
    list.push({
      name: 'nginx mTLS pair (reference)',
      kind: 'mTLS',
      port: nginx.clientPort,
      proxies: [nginx.client, nginx.server],
      isReferencePair: true,
    });
  }
  return list.filter((s) => s.isDirect || s.isReferencePair || ONLY === undefined || ONLY.test(s.name));
}

function nginxDir(): string {
  const dir = nginxTempDir();
  tempDirs.push(dir);
  return dir;
}

/** The sidecar's mTLS landed when its options take an identity (see protocol/sidecar.ts). */
async function sidecarSupportsMtls(): Promise<boolean> {
  const source = readFileSync(new URL('../../dist/protocol/sidecar.d.ts', import.meta.url), 'utf8');
  return Promise.resolve(source.includes('identity?: SidecarIdentity'));
}

async function main(): Promise<void> {
  const { line } = await startScript('app-process.js', []);
  const appPort = Number(line);
  const list = await setups(appPort);
  process.stderr.write(
    `Running ${list.length} setups: ${RATE} req/s, then ${CONCURRENCY} connections, ${(WARMUP_MS + DURATION_MS) / 1000}s each\n`,
  );
  // Let the processes settle after start-up (key generation, certificate requests), then warm the
  // load generator and the app (JIT) so the first row is not measured cold.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await runClosedLoop({ port: appPort, host: 'reviews', durationMs: 1_000, warmupMs: 1_000, concurrency: CONCURRENCY });
  const results: SetupResult[] = [];
  for (const setup of list) results.push(await measure(setup));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    `Proxy benchmark: ${cpus().length} CPUs (${cpu}), Node ${process.version}, nginx ${nginxVersion() ?? 'not installed'}, ` +
      `load average ${loadavg()[0]!.toFixed(2)} at the end; ${(WARMUP_MS / 1000).toFixed(1)}s warm-up + ${DURATION_MS / 1000}s measured per phase.`,
    "proxy CPU = CPU time of the setup's proxy processes (not the app, not the load generator) per request; peak RSS = VmHWM of the largest proxy process.",
    '',
  ].join('\n');
  const report = `${header}\n${markdownReport(results, RATE)}\n`;
  console.log(`\n${report}`);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, report);
  process.stderr.write(`written to ${OUT}\n`);
}

// Ctrl-C or a timeout: stop the children too (they would otherwise outlive the bench).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAll().then(() => process.exit(130));
  });
}

try {
  await main();
} finally {
  await stopAll();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
