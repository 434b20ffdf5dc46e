import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTexts, meshSettings } from '@anymesh/core';
import { startSidecar, type ConfigSnapshot, type InstanceInfo, type ProxySidecar } from '@anymesh/native-mesh';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../src/index.js';
import { BOOKSTORE_DIR, dashboardClient } from './support/client.js';

const SERVICES = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: bookstore }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions: { v1: { labels: { version: v1 } } }
`;

function info(id: string, service: string, version: string | undefined): InstanceInfo {
  return {
    id,
    namespace: 'bookstore',
    service,
    version,
    host: '127.0.0.1',
    inboundPort: 0,
    servicePort: 9080,
    adminPort: 0,
    locality: undefined,
    identity: `spiffe://cluster.local/ns/bookstore/sa/${service}`,
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function call(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: 'reviews' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard tap API over real sidecars', () => {
  let app: Server;
  let registry: Server;
  let dashboard: Dashboard;
  const sidecars: ProxySidecar[] = [];
  let client: ProxySidecar;

  beforeAll(async () => {
    app = createServer((_req, res) => res.end('ok'));
    const appPort = await listen(app);
    const listeners = new Set<(s: ConfigSnapshot) => void>();
    const source = { subscribe: (fn: (s: ConfigSnapshot) => void) => void listeners.add(fn), close: async () => undefined };
    const reviews = await startSidecar({ instance: info('reviews-v1-0', 'reviews', 'v1'), appPort, outboundPort: 0, config: source });
    client = await startSidecar({ instance: info('client-0', 'client', undefined), appPort, outboundPort: 0, config: source });
    sidecars.push(reviews, client);
    const instances = [
      { ...info('reviews-v1-0', 'reviews', 'v1'), inboundPort: reviews.inboundPort, adminPort: reviews.adminPort },
      { ...info('client-0', 'client', undefined), inboundPort: client.inboundPort, adminPort: client.adminPort },
    ];
    const loaded = loadTexts([{ file: 'services.yaml', text: SERVICES }]);
    const snapshot: ConfigSnapshot = {
      version: 1,
      mesh: meshSettings(undefined),
      policies: loaded.set.objects.map((o) => o.object),
      instances,
    };
    for (const l of listeners) l(snapshot);
    // The control plane's registry, standing in for `anymesh up`'s.
    registry = createServer((req, res) => {
      if (req.url !== '/v1/registry') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(instances));
    });
    const registryPort = await listen(registry);
    dashboard = await startDashboard({
      port: 0,
      policyDir: BOOKSTORE_DIR,
      controlPlaneUrl: `http://127.0.0.1:${registryPort}`,
      scrapeIntervalMs: 60_000,
    });
  }, 60_000);

  afterAll(async () => {
    await dashboard?.close();
    await Promise.all(sidecars.map((s) => s.close()));
    await new Promise((r) => registry?.close(r));
    await new Promise((r) => app?.close(r));
  });

  it('streams live requests of a service to pollers, filtered by path, from the cursor on', async () => {
    const api = dashboardClient(dashboard.url);
    const first = await api.tap.query({ namespace: 'bookstore', service: 'reviews', path: '/books' });
    expect(first.instances).toEqual(['reviews-v1-0']);
    expect(first.problem).toBeUndefined();
    let cursor = first.next;
    const seen: string[] = [];
    const deadline = Date.now() + 30_000;
    while (seen.length < 2 && Date.now() < deadline) {
      expect(await call(client.outboundPort, `/books/${seen.length}`)).toBe(200);
      expect(await call(client.outboundPort, '/elsewhere')).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      const view = await api.tap.query({ namespace: 'bookstore', service: 'reviews', path: '/books', after: cursor });
      cursor = view.next;
      for (const e of view.events) if (e.type === 'request') seen.push(e.path);
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.every((p) => p.startsWith('/books/'))).toBe(true);
  }, 60_000);

  it('says why nothing is tapped when the service has no running instance', async () => {
    const view = await dashboardClient(dashboard.url).tap.query({ namespace: 'bookstore', service: 'ratings' });
    expect(view).toMatchObject({ instances: [], events: [], problem: 'no running instance of bookstore/ratings' });
  }, 30_000);
});
