import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../src/runner/index.js';
import type { RequiredTool } from '../../support/required-tool.js';

// .ci/run installs it; anywhere else a missing Prometheus fails the suite unless ANYMESH_SKIP_PROMETHEUS=1.
export const PROMETHEUS: RequiredTool = {
  name: 'Prometheus',
  pathVariable: 'PROMETHEUS',
  defaultPaths: ['/usr/bin/prometheus', '/usr/sbin/prometheus'],
  install: 'apt-get install -y prometheus',
  optOut: 'ANYMESH_SKIP_PROMETHEUS',
};

/** A real Prometheus on 127.0.0.1 scraping static targets every second, with its data in a temp dir. */
export interface PrometheusServer {
  readonly address: string;
  /** What it printed on stderr (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(binary: string, targetPorts: readonly number[]): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'anymesh-rollout-prom-'));
  const targets = targetPorts.map((p) => `'127.0.0.1:${p}'`).join(', ');
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: anymesh\n    static_configs: [{ targets: [${targets}] }]\n`,
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    address: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once Prometheus has scraped every target successfully (`up == 1` for each). */
export async function waitForTargets(address: string, count: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${address}/api/v1/query?query=${encodeURIComponent('sum(up)')}`);
      const body = (await response.json()) as { data?: { result?: { value: [number, string] }[] } };
      if (Number(body.data?.result?.[0]?.value[1]) === count) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Prometheus at ${address} did not scrape ${count} targets within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
