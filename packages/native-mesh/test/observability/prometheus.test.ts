import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { freePort } from '../../src/runner/index.js';
import { eventually, send, TestMeshNodes } from '../access/harness.js';
import { describeWithTool, type RequiredTool } from '../support/required-tool.js';

// .ci/run installs it; anywhere else a missing Prometheus fails the suite unless ANYMESH_SKIP_PROMETHEUS=1.
const PROMETHEUS: RequiredTool = {
  name: 'Prometheus',
  pathVariable: 'PROMETHEUS',
  defaultPaths: ['/usr/bin/prometheus', '/usr/sbin/prometheus'],
  install: 'apt-get install -y prometheus',
  optOut: 'ANYMESH_SKIP_PROMETHEUS',
};

const SERVICES = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
`;

interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

async function query(port: number, promql: string): Promise<Sample[]> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as { status: string; data: { result: Sample[] }; error?: string };
  if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
  return body.data.result;
}

describeWithTool(PROMETHEUS, 'a real Prometheus scraping sidecars', (binary) => {
  let mesh: TestMeshNodes | undefined;
  let prometheus: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await mesh?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('computes per-edge request rate, success rate and p99 from the sidecars’ metrics with the documented queries', async () => {
    mesh = new TestMeshNodes();
    const failOnPurpose = (r: { url: string }) => (r.url.endsWith('/fail') ? { status: 503 } : {});
    const v1 = await mesh.add({ namespace: 'shop', service: 'reviews', version: 'v1', behave: failOnPurpose });
    const v2 = await mesh.add({ namespace: 'shop', service: 'reviews', version: 'v2', behave: failOnPurpose });
    const client = await mesh.add({ namespace: 'shop', service: 'client', version: 'v1' });
    mesh.push(SERVICES);

    dir = await mkdtemp(join(tmpdir(), 'anymesh-prom-'));
    const targets = [v1, v2, client].map((n) => `'127.0.0.1:${n.sidecar.adminPort}'`).join(', ');
    await writeFile(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: anymesh\n    static_configs: [{ targets: [${targets}] }]\n`,
    );
    const port = await freePort();
    prometheus = spawn(
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
    prometheus.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));

    // Steady traffic while Prometheus scrapes: every 10th request is answered 503.
    let sent = 0;
    let stop = false;
    const load = (async () => {
      while (!stop) {
        await send(client.sidecar.outboundPort, 'reviews', sent % 10 === 9 ? '/fail' : '/ok');
        sent += 1;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      await eventually(async () => {
        expect(prometheus!.exitCode, stderr).toBeNull();
        const rate = await query(
          port,
          'sum by (source_service, destination_service) (rate(anymesh_requests_total{direction="inbound"}[30s]))',
        );
        expect(rate).toHaveLength(1);
        expect(rate[0]!.metric).toEqual({ source_service: 'client', destination_service: 'reviews' });
        expect(Number(rate[0]!.value[1])).toBeGreaterThan(0);
        const success = await query(
          port,
          'sum by (destination_service) (rate(anymesh_requests_total{direction="inbound",response_code!~"5..|0"}[30s])) / sum by (destination_service) (rate(anymesh_requests_total{direction="inbound"}[30s]))',
        );
        // A tenth of the calls fail (more attempts if the client retries them): the success rate is strictly between.
        expect(Number(success[0]!.value[1])).toBeGreaterThan(0.5);
        expect(Number(success[0]!.value[1])).toBeLessThan(1);
        const p99 = await query(
          port,
          'histogram_quantile(0.99, sum by (le, destination_service) (rate(anymesh_request_duration_seconds_bucket{direction="inbound"}[30s])))',
        );
        expect(Number(p99[0]!.value[1])).toBeGreaterThan(0);
        expect(Number(p99[0]!.value[1])).toBeLessThan(10);
      }, 90_000);
    } finally {
      stop = true;
      await load;
    }
  }, 150_000);
});
