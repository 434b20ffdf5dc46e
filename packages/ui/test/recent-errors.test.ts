import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTexts, meshSettings } from '@anymesh/core';
import { startSidecar, type ConfigSnapshot, type InstanceInfo, type ProxySidecar } from '@anymesh/native-mesh';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecentErrorsView } from '../src/index.js';
import { startDashboard, type Dashboard } from '../src/index.js';
import { BOOKSTORE_DIR, dashboardClient } from './support/client.js';

const SERVICES = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: bookstore }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions: { v3: { labels: { version: v3 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: bookstore }
spec:
  service: reviews
  rules:
    - name: chaos
      matches: [{ path: { prefix: /chaos } }]
      fault: { abort: { httpStatus: 503, percent: 100 } }
      destinations: [{ version: v3 }]
`;

function info(id: string, service: string, version: string | undefined, ports: { inboundPort: number; adminPort: number }): InstanceInfo {
  return {
    id,
    namespace: 'bookstore',
    service,
    version,
    host: '127.0.0.1',
    ...ports,
    servicePort: 9080,
    locality: undefined,
    identity: `spiffe://cluster.local/ns/bookstore/sa/${service}`,
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** One request through the caller's sidecar, as an app sends it: plain HTTP with the service as Host. */
function call(port: number, host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends requests until the dashboard lists what `done` waits for (the tap streams open within a reconcile). */
async function until(send: () => Promise<unknown>, read: () => Promise<RecentErrorsView>, done: (v: RecentErrorsView) => boolean) {
  const deadline = Date.now() + 30_000;
  let view = await read();
  while (!done(view) && Date.now() < deadline) {
    await send();
    await new Promise((r) => setTimeout(r, 200));
    view = await read();
  }
  return view;
}

describe('recent errors over real sidecars', () => {
  let app: Server;
  let registry: Server;
  let dashboard: Dashboard;
  const sidecars: ProxySidecar[] = [];
  let caller: ProxySidecar;

  beforeAll(async () => {
    // The app behind reviews v3 fails /fail with 500 and answers everything else.
    app = createServer((req, res) => {
      res.statusCode = req.url?.startsWith('/fail') ? 500 : 200;
      res.end();
    });
    const appPort = await listen(app);
    const listeners = new Set<(s: ConfigSnapshot) => void>();
    const config = { subscribe: (fn: (s: ConfigSnapshot) => void) => void listeners.add(fn), close: async () => undefined };
    const unbound = { inboundPort: 0, adminPort: 0 };
    const reviews = await startSidecar({ instance: info('reviews-v3-0', 'reviews', 'v3', unbound), appPort, outboundPort: 0, config });
    caller = await startSidecar({ instance: info('frontend-0', 'frontend', undefined, unbound), appPort, outboundPort: 0, config });
    sidecars.push(reviews, caller);
    const instances = [
      info('reviews-v3-0', 'reviews', 'v3', { inboundPort: reviews.inboundPort, adminPort: reviews.adminPort }),
      info('frontend-0', 'frontend', undefined, { inboundPort: caller.inboundPort, adminPort: caller.adminPort }),
    ];
    const loaded = loadTexts([{ file: 'services.yaml', text: SERVICES }]);
    for (const l of listeners)
      l({ version: 1, mesh: meshSettings(undefined), policies: loaded.set.objects.map((o) => o.object), instances });
    // The control plane's registry, standing in for `anymesh up`'s.
    registry = createServer((req, res) => {
      if (req.url !== '/v1/registry') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(instances));
    });
    const registryPort = await listen(registry);
    dashboard = await startDashboard({ port: 0, policyDir: BOOKSTORE_DIR, controlPlaneUrl: `http://127.0.0.1:${registryPort}` });
  }, 60_000);

  afterAll(async () => {
    await dashboard?.close();
    await Promise.all(sidecars.map((s) => s.close()));
    for (const s of [registry, app]) await new Promise((r) => s?.close(r));
  });

  it('lists a 500 from reviews v3 with its code, version, path and caller, and not the requests that succeeded', async () => {
    const api = dashboardClient(dashboard.url);
    const read = () => api.recentErrors.query({ service: 'bookstore/reviews' });
    const send = async () => {
      expect(await call(caller.outboundPort, 'reviews', '/fine')).toBe(200);
      expect(await call(caller.outboundPort, 'reviews', '/fail/1')).toBe(500);
    };
    const view = await until(send, read, (v) => v.rows.length > 0);
    expect(view.feed).toMatchObject({ mode: 'tap', sidecars: 2, tapping: 2 });
    expect(view.rows[0]).toMatchObject({ code: 500, destinationVersion: 'v3', path: '/fail/1', source: 'frontend', direction: 'inbound' });
    expect(Date.parse(view.rows[0]?.time ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(view.rows.every((r) => r.path.startsWith('/fail'))).toBe(true);
  }, 60_000);

  it("lists an answer the caller's sidecar gave itself under the service called, with the mesh's reason", async () => {
    const api = dashboardClient(dashboard.url);
    const read = () => api.recentErrors.query({ service: 'bookstore/reviews' });
    const aborted = (v: RecentErrorsView) => v.rows.some((r) => r.path === '/chaos');
    const view = await until(() => call(caller.outboundPort, 'reviews', '/chaos'), read, aborted);
    // The injected fault is answered by frontend's sidecar: reviews' sidecar never sees it.
    expect(view.rows.find((r) => r.path === '/chaos')).toMatchObject({
      code: 503,
      reason: 'fault-abort',
      direction: 'outbound',
      source: 'frontend',
    });
  }, 60_000);

  it('filters to one caller for the edge panel', async () => {
    const api = dashboardClient(dashboard.url);
    const fromFrontend = await api.recentErrors.query({ service: 'bookstore/reviews', source: 'bookstore/frontend' });
    const fromCatalog = await api.recentErrors.query({ service: 'bookstore/reviews', source: 'bookstore/catalog' });
    expect(fromFrontend.rows.length).toBeGreaterThan(0);
    expect(fromCatalog.rows).toEqual([]);
  }, 30_000);
});

describe('recent errors without a native mesh', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard({ port: 0, policyDir: BOOKSTORE_DIR });
  });
  afterAll(() => dashboard.close());

  it('says the list comes from the metrics and what to run for request details', async () => {
    const view = await dashboardClient(dashboard.url).recentErrors.query({ service: 'bookstore/reviews' });
    expect(view.rows).toEqual([]);
    expect(view.feed.mode).toBe('metrics');
    expect(view.feed.problem).toMatch(/anymesh up/);
  });
});
