// Proxy benchmark: the app direct vs behind a client sidecar + a server sidecar (plaintext), each
// in its own process, measured in one run so ratios compare like with like. Optional reference:
// an nginx pair when `nginx` is on PATH. Run: `pnpm bench:proxy` (builds first).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadTexts, meshSettings } from '@anymesh/core';
import type { ConfigSnapshot, InstanceInfo } from '@anymesh/native-mesh';
import { runLoad, type LoadResult } from './load.js';

const here = dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
const WARMUP_MS = 1_000;
const children: ChildProcess[] = [];

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
  const child = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
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
  const [, outbound] = (await start('sidecar-process.js', [clientArgs])).split(' ');

  const rows: [string, LoadResult][] = [];
  rows.push(['direct (app only)', await runLoad(appPort, 'reviews', CONCURRENCY, DURATION_MS, WARMUP_MS)]);
  rows.push(['anymesh client + server sidecar', await runLoad(Number(outbound), 'reviews', CONCURRENCY, DURATION_MS, WARMUP_MS)]);
  const nginx = await nginxPair(appPort);
  if (nginx !== undefined) rows.push(['nginx pair (reference)', await runLoad(nginx, 'reviews', CONCURRENCY, DURATION_MS, WARMUP_MS)]);

  const base = rows[0]![1];
  console.log(
    `\nProxy benchmark: Node ${process.version}, ${cpus().length} CPUs, concurrency ${CONCURRENCY}, ${DURATION_MS / 1000}s per row\n`,
  );
  console.log('| setup | req/s | p50 ms | p99 ms | throughput vs direct | p50 vs direct | p99 vs direct | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, r] of rows) {
    console.log(
      `| ${name} | ${r.rps.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${(r.rps / base.rps).toFixed(2)}x | ${(r.p50Ms / base.p50Ms).toFixed(2)}x | ${(r.p99Ms / base.p99Ms).toFixed(2)}x | ${r.errors} |`,
    );
  }
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
}
