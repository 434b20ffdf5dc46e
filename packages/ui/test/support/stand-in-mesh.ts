import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A stand-in for the native mesh's control-plane admin API and its sidecars' /metrics, over real
 * HTTP on 127.0.0.1, for the tests that need live traffic before (or without) `anymesh up`.
 * Counters grow with wall-clock time at the given rates, in prom-client's text format.
 */

export interface StandInInstance {
  readonly id: string;
  readonly service: string;
  readonly version: string;
}

export interface Flow {
  readonly fromInstance: string;
  readonly destination: string;
  readonly destinationVersion: string;
  readonly rps: number;
  /** Share of requests answered 503. */
  readonly errorRate?: number;
  readonly latencySeconds: number;
}

export interface StandInMesh {
  readonly url: string;
  /** Bodies POSTed to /v1/policies, in order. */
  readonly applied: unknown[];
  close(): Promise<void>;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

function metricsText(instance: StandInInstance, flows: readonly Flow[], seconds: number): string {
  const lines = ['# HELP anymesh_requests_total Requests.', '# TYPE anymesh_requests_total counter'];
  const hist = ['# TYPE anymesh_request_duration_seconds histogram'];
  for (const f of flows.filter((x) => x.fromInstance === instance.id)) {
    const total = Math.floor(f.rps * seconds);
    const failed = Math.floor(total * (f.errorRate ?? 0));
    const base = `direction="outbound",source_service="${instance.service}",source_version="${instance.version}",destination_service="${f.destination}",destination_version="${f.destinationVersion}"`;
    lines.push(`anymesh_requests_total{${base},response_code="200"} ${total - failed}`);
    if (failed > 0) lines.push(`anymesh_requests_total{${base},response_code="503"} ${failed}`);
    for (const le of BUCKETS)
      hist.push(`anymesh_request_duration_seconds_bucket{le="${le}",${base}} ${le >= f.latencySeconds ? total : 0}`);
    hist.push(`anymesh_request_duration_seconds_bucket{le="+Inf",${base}} ${total}`);
  }
  return [...lines, ...hist, ''].join('\n');
}

/** More control-plane routes (e.g. the rollout API); answers true when it took the request. */
export type ExtraRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

export async function startStandInMesh(
  instances: readonly StandInInstance[],
  flows: readonly Flow[],
  extra?: ExtraRoutes,
): Promise<StandInMesh> {
  const started = Date.now();
  const admins: Server[] = [];
  const registry: object[] = [];
  for (const instance of instances) {
    const admin = createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metricsText(instance, flows, (Date.now() - started) / 1000));
    });
    const adminPort = await listen(admin);
    admins.push(admin);
    registry.push({
      ...instance,
      namespace: 'bookstore',
      host: '127.0.0.1',
      inboundPort: 1,
      servicePort: 9080,
      adminPort,
      locality: undefined,
      identity: '',
    });
  }
  const applied: unknown[] = [];
  let version = 1;
  const control = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/v1/registry')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(registry));
    if (req.method === 'POST' && req.url === '/v1/policies') {
      void body(req).then((text) => {
        applied.push(JSON.parse(text));
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ applied: true, version: ++version, diagnostics: [] }));
      });
      return;
    }
    if (extra?.(req, res)) return;
    res.writeHead(404).end();
  });
  const port = await listen(control);
  return {
    url: `http://127.0.0.1:${port}`,
    applied,
    async close() {
      for (const s of [control, ...admins]) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
    },
  };
}

/** The bookstore's instances and its call graph, with reviews traffic mostly on v1 and v3 slow, failing 40% of its calls. */
export const BOOKSTORE_INSTANCES: readonly StandInInstance[] = [
  { id: 'frontend-v1-0', service: 'frontend', version: 'v1' },
  { id: 'catalog-v1-0', service: 'catalog', version: 'v1' },
  { id: 'catalog-v1-1', service: 'catalog', version: 'v1' },
  { id: 'catalog-v2-0', service: 'catalog', version: 'v2' },
  { id: 'inventory-v1-0', service: 'inventory', version: 'v1' },
  { id: 'inventory-v2-0', service: 'inventory', version: 'v2' },
  { id: 'reviews-v1-0', service: 'reviews', version: 'v1' },
  { id: 'reviews-v2-0', service: 'reviews', version: 'v2' },
  { id: 'reviews-v3-0', service: 'reviews', version: 'v3' },
  { id: 'ratings-v1-0', service: 'ratings', version: 'v1' },
  { id: 'checkout-v1-0', service: 'checkout', version: 'v1' },
  { id: 'payments-v1-0', service: 'payments', version: 'v1' },
];

export const BOOKSTORE_FLOWS: readonly Flow[] = [
  { fromInstance: 'frontend-v1-0', destination: 'catalog', destinationVersion: 'v1', rps: 18, latencySeconds: 0.02 },
  { fromInstance: 'frontend-v1-0', destination: 'catalog', destinationVersion: 'v2', rps: 2, latencySeconds: 0.02 },
  { fromInstance: 'frontend-v1-0', destination: 'reviews', destinationVersion: 'v1', rps: 40, latencySeconds: 0.01 },
  { fromInstance: 'frontend-v1-0', destination: 'reviews', destinationVersion: 'v2', rps: 7, latencySeconds: 0.03 },
  { fromInstance: 'frontend-v1-0', destination: 'reviews', destinationVersion: 'v3', rps: 5, errorRate: 0.4, latencySeconds: 0.3 },
  { fromInstance: 'frontend-v1-0', destination: 'checkout', destinationVersion: 'v1', rps: 5, latencySeconds: 0.04 },
  { fromInstance: 'catalog-v1-0', destination: 'inventory', destinationVersion: 'v1', rps: 9, latencySeconds: 0.005 },
  { fromInstance: 'catalog-v2-0', destination: 'inventory', destinationVersion: 'v1', rps: 2, latencySeconds: 0.005 },
  { fromInstance: 'reviews-v2-0', destination: 'ratings', destinationVersion: 'v1', rps: 3, latencySeconds: 0.004 },
  { fromInstance: 'checkout-v1-0', destination: 'payments', destinationVersion: 'v1', rps: 5, latencySeconds: 0.06 },
];
