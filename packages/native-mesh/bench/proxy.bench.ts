// Proxy benchmark: the app direct vs behind a client sidecar + a server sidecar (plaintext), each
// in its own process, measured in one run so ratios compare like with like. Optional reference:
// an nginx pair when `nginx` is on PATH. Run: `pnpm bench:proxy` (builds first).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadTexts, meshSettings } from '@anymesh/core';
import type { ConfigSnapshot, InstanceInfo } from '@anymesh/native-mesh';
import { runLoad, type LoadResult } from './load.js';

const here = dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
// Long enough for V8 to optimize the proxy's hot path under a loaded machine.
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3_000);
const children: ChildProcess[] = [];
const tempDirs: string[] = [];
/** A directory: profile the sidecar processes with --cpu-prof into it. */
const PROFILE = process.env.BENCH_CPU_PROF;

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

function start(script: string, args: string[]): Promise<string> {
  const flags = PROFILE && script === 'sidecar-process.js' ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
  const child = spawn(process.execPath, [...flags, join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** CPU time (user + system, ms) a child process has used, from /proc (Linux); NaN elsewhere. */
function cpuMs(child: ChildProcess): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** Runs one row and measures the CPU the given processes spent per request (load-independent). */
async function measure(port: number, processes: readonly ChildProcess[]): Promise<LoadResult & { cpuUsPerRequest: number }> {
  const before = processes.map(cpuMs);
  const result = await runLoad(port, 'reviews', CONCURRENCY, DURATION_MS, WARMUP_MS);
  const spent = processes.reduce((sum, p, i) => sum + cpuMs(p) - before[i]!, 0);
  // The warm-up requests are not counted in `result.requests`; scale by the measured share of time.
  const measuredShare = DURATION_MS / (DURATION_MS + WARMUP_MS);
  return { ...result, cpuUsPerRequest: (spent * 1000 * measuredShare) / Math.max(1, result.requests) };
}

function instance(id: string, service: string, version: string | undefined): InstanceInfo {
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
    identity: '',
  };
}

async function nginxPair(appPort: number): Promise<number | undefined> {
  if (spawnSync('nginx', ['-v']).error) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'anymesh-bench-nginx-'));
  tempDirs.push(dir);
  const conf = (listen: number, upstream: number) => `
worker_processes 1; daemon off; pid ${dir}/nginx-${listen}.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir};
  upstream up { server 127.0.0.1:${upstream}; keepalive 64; }
  server { listen 127.0.0.1:${listen}; location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } } }`;
  const serverPort = appPort + 1000;
  const clientPort = appPort + 1001;
  for (const [listen, upstream] of [
    [serverPort, appPort],
    [clientPort, serverPort],
  ] as const) {
    const file = join(dir, `nginx-${listen}.conf`);
    writeFileSync(file, conf(listen, upstream));
    children.push(spawn('nginx', ['-c', file, '-p', dir], { stdio: 'ignore' }));
  }
  await new Promise((r) => setTimeout(r, 500));
  return clientPort;
}

async function main(): Promise<void> {
  const appPort = Number(await start('app-process.js', []));
  const app = children[0]!;
  const loaded = loadTexts([{ file: 'bench.yaml', text: POLICIES }]);
  if (!loaded.valid) throw new Error('benchmark policies are invalid');
  const snapshot = (instances: InstanceInfo[]): ConfigSnapshot => ({
    version: 1,
    mesh: meshSettings(undefined),
    policies: loaded.set.objects.map((o) => o.object),
    instances,
  });
  const server = instance('reviews-v1-0', 'reviews', 'v1');
  const [inbound] = (await start('sidecar-process.js', [JSON.stringify({ instance: server, appPort, snapshot: snapshot([]) })])).split(' ');
  const live = [{ ...server, inboundPort: Number(inbound) }];
  const clientArgs = JSON.stringify({ instance: instance('client-0', 'client', undefined), appPort: 1, snapshot: snapshot(live) });
  const serverSidecar = children[1]!;
  const [, outbound] = (await start('sidecar-process.js', [clientArgs])).split(' ');
  const clientSidecar = children[2]!;

  const rows: [string, Awaited<ReturnType<typeof measure>>][] = [];
  rows.push(['direct (app only)', await measure(appPort, [app])]);
  rows.push(['anymesh client + server sidecar', await measure(Number(outbound), [app, clientSidecar, serverSidecar])]);
  const rawServer = Number(await start('raw-proxy-process.js', [String(appPort)]));
  const rawClient = Number(await start('raw-proxy-process.js', [String(rawServer)]));
  rows.push(['minimal node:http proxy pair (reference)', await measure(rawClient, [app, ...children.slice(-2)])]);
  const nginxStart = children.length;
  const nginx = await nginxPair(appPort);
  if (nginx !== undefined) rows.push(['nginx pair (reference)', await measure(nginx, [app, ...children.slice(nginxStart)])]);

  const base = rows[0]![1];
  console.log(
    `\nProxy benchmark: Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}, concurrency ${CONCURRENCY}, ${DURATION_MS / 1000}s per row`,
  );
  console.log('server CPU = CPU time of the app and the proxies (not the load generator) per request\n');
  console.log('| setup | req/s | p50 ms | p99 ms | throughput vs direct | p50 vs direct | p99 vs direct | server CPU µs/req | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, r] of rows) {
    console.log(
      `| ${name} | ${r.rps.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${(r.rps / base.rps).toFixed(2)}x | ${(r.p50Ms / base.p50Ms).toFixed(2)}x | ${(r.p99Ms / base.p99Ms).toFixed(2)}x | ${r.cpuUsPerRequest.toFixed(0)} | ${r.errors} |`,
    );
  }
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
