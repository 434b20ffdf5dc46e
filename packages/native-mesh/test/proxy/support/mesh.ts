import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { InstanceInfo } from '../../../src/protocol/types.js';
import { startSidecar, type ProxySidecar } from '../../../src/proxy/index.js';
import { startApp, type Behaviour, type SeenRequest, type TestApp } from './app.js';
import { snapshotOf, StaticConfigHub } from './config-source.js';

export interface InstanceSpec {
  readonly service: string;
  readonly version?: string;
  readonly locality?: { region?: string; zone?: string };
  readonly behave?: (req: SeenRequest) => Behaviour;
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface CallOptions {
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string;
  /** Send the absolute-form target `http://<host><path>` instead of a Host header. */
  readonly absolute?: boolean;
}

export interface TestMesh {
  readonly apps: ReadonlyMap<string, TestApp>;
  readonly client: ProxySidecar;
  readonly sidecars: ReadonlyMap<string, ProxySidecar>;
  readonly instances: readonly InstanceInfo[];
  call(host: string, path: string, options?: CallOptions): Promise<Reply>;
  /** Pushes new policies (and optionally a different instance list) as the next config version. */
  update(yaml: string, instances?: readonly InstanceInfo[]): void;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

const NAMESPACE = 'shop';

/**
 * Timeout of the tests that send 1,000+ requests: a few seconds on an idle machine, but the CI box
 * has 2 cores shared with other jobs, where a request through two sidecars can take 10+ ms.
 */
export const HEAVY_TEST_TIMEOUT_MS = 120_000;

/**
 * Real processes' worth of sockets on 127.0.0.1: one app + sidecar per instance, and a client
 * sidecar (service `client`) whose outbound port the test calls, all fed by one static config.
 */
export async function startMesh(
  yaml: string,
  specs: readonly InstanceSpec[],
  caller: { locality?: { region?: string; zone?: string } } = {},
): Promise<TestMesh> {
  const hub = new StaticConfigHub();
  const apps = new Map<string, TestApp>();
  const sidecars = new Map<string, ProxySidecar>();
  const instances: InstanceInfo[] = [];
  const counts = new Map<string, number>();
  for (const spec of specs) {
    const base = `${spec.service}-${spec.version ?? 'x'}`;
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    const id = `${base}-${n}`;
    const app = await startApp(id, spec.behave);
    apps.set(id, app);
    const info: InstanceInfo = {
      id,
      namespace: NAMESPACE,
      service: spec.service,
      version: spec.version,
      host: '127.0.0.1',
      inboundPort: 0,
      servicePort: 9080,
      adminPort: 0,
      locality: spec.locality,
      identity: `spiffe://cluster.local/ns/${NAMESPACE}/sa/${spec.service}`,
    };
    const sidecar = await startSidecar({ instance: info, appPort: app.port, outboundPort: 0, config: hub.source() });
    sidecars.set(id, sidecar);
    instances.push({ ...info, inboundPort: sidecar.inboundPort, adminPort: sidecar.adminPort });
  }
  const clientInfo: InstanceInfo = {
    id: 'client-v1-0',
    namespace: NAMESPACE,
    service: 'client',
    version: 'v1',
    host: '127.0.0.1',
    inboundPort: 0,
    servicePort: 8080,
    adminPort: 0,
    locality: caller.locality,
    identity: `spiffe://cluster.local/ns/${NAMESPACE}/sa/client`,
  };
  const client = await startSidecar({ instance: clientInfo, appPort: 1, outboundPort: 0, config: hub.source() });
  let version = 1;
  hub.push(snapshotOf(version, yaml, instances));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  return {
    apps,
    client,
    sidecars,
    instances,
    call: (host, path, options = {}) =>
      new Promise((resolve, reject) => {
        const req = request({
          agent,
          host: '127.0.0.1',
          port: client.outboundPort,
          method: options.method ?? 'GET',
          path: options.absolute ? `http://${host}${path}` : path,
          headers: { ...options.headers, host },
        });
        req.setTimeout(15_000, () => req.destroy(new Error('test call timed out')));
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(options.body);
      }),
    update: (newYaml, newInstances) => hub.push(snapshotOf(++version, newYaml, newInstances ?? instances)),
    metrics: async () => {
      const res = await fetch(`http://127.0.0.1:${client.adminPort}/metrics`);
      return res.text();
    },
    close: async () => {
      agent.destroy();
      await client.close();
      await Promise.all([...sidecars.values()].map((s) => s.close()));
      await Promise.all([...apps.values()].map((a) => a.close()));
    },
  };
}

/** One request with an explicit Host header (fetch cannot set Host). */
export function get(port: number, host: string, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent: false });
    req.setTimeout(15_000, () => req.destroy(new Error('test call timed out')));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `total` calls with at most `concurrency` in flight; returns the results in order. */
export async function many<T>(total: number, concurrency: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(total);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      results[i] = await call(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return results;
}

/** 5-sigma binomial bounds of a count of successes with probability p in n trials. */
export function fiveSigma(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [n * p - 5 * sd, n * p + 5 * sd];
}

export const SERVICES_YAML = (names: readonly string[], versions: readonly string[] = ['v1', 'v2']) =>
  names
    .map(
      (name) => `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ${name}, namespace: ${NAMESPACE} }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions:
${versions.map((v) => `    ${v}: { labels: { version: ${v} } }`).join('\n')}
`,
    )
    .join('---\n');

export const NS = NAMESPACE;
