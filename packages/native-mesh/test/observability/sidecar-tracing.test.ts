import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { startSidecar, type ProxySidecar } from '../../src/proxy/index.js';
import { send } from '../access/harness.js';
import { snapshotOf, StaticConfigHub } from '../proxy/support/config-source.js';
import { startCollector, type Collector } from './collector.js';

const CHAIN = ['frontend', 'reviews', 'ratings'] as const;

const POLICIES = (endpoint: string) =>
  `apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: traced }
spec:
  observability:
    tracing: { sampling: 100, endpoint: '${endpoint}' }
` +
  CHAIN.map(
    (name) => `---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
`,
  ).join('');

/** An app that calls `next` through its own sidecar, passing `traceparent` on as apps must. */
function startChainApp(next: string | undefined, outboundPort: () => number): Promise<Server> {
  const server = createServer((req, res) => {
    if (next === undefined) return void res.end('leaf');
    const traceparent = req.headers.traceparent;
    send(outboundPort(), next, '/', { headers: traceparent ? { traceparent } : {} }).then(
      (reply) => res.writeHead(reply.status).end(reply.body),
      () => res.writeHead(502).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('tracing through sidecars', () => {
  const servers: Server[] = [];
  const sidecars: ProxySidecar[] = [];
  let collector: Collector | undefined;
  afterEach(async () => {
    await Promise.all(sidecars.splice(0).map((s) => s.close()));
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    await collector?.close();
  });

  it('records a request across three services as one trace whose spans link hop to hop, exported over OTLP/HTTP', async () => {
    collector = await startCollector();
    const hub = new StaticConfigHub();
    const instances: InstanceInfo[] = [];
    for (const [i, name] of CHAIN.entries()) {
      const app = await startChainApp(CHAIN[i + 1], () => sidecars[i]!.outboundPort);
      servers.push(app);
      const info: InstanceInfo = {
        id: `${name}-0`,
        namespace: 'shop',
        service: name,
        version: 'v1',
        host: '127.0.0.1',
        inboundPort: 0,
        servicePort: 9080,
        adminPort: 0,
        locality: undefined,
        identity: `spiffe://cluster.local/ns/shop/sa/${name}`,
      };
      const sidecar = await startSidecar({
        instance: info,
        appPort: (app.address() as AddressInfo).port,
        outboundPort: 0,
        config: hub.source(),
      });
      sidecars.push(sidecar);
      instances.push({ ...info, inboundPort: sidecar.inboundPort, adminPort: sidecar.adminPort });
    }
    hub.push(snapshotOf(1, POLICIES(collector.url), instances));

    // From outside, straight into frontend's inbound listener, without trace context.
    const reply = await send(sidecars[0]!.inboundPort, 'frontend', '/');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('leaf');
    // Closing the sidecars flushes their spans.
    await Promise.all(sidecars.splice(0).map((s) => s.close()));

    const spans = collector.spans;
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const span = (service: string, kind: 'inbound' | 'outbound') => {
      const found = spans.filter((s) => s.service === service && s.name.startsWith(kind));
      expect(found, `${kind} span of ${service}`).toHaveLength(1);
      return found[0]!;
    };
    const frontIn = span('frontend', 'inbound');
    const frontOut = span('frontend', 'outbound');
    const reviewsIn = span('reviews', 'inbound');
    const reviewsOut = span('reviews', 'outbound');
    const ratingsIn = span('ratings', 'inbound');
    expect(spans).toHaveLength(5);
    expect(frontIn.parentSpanId ?? '').toBe('');
    expect(frontOut.parentSpanId).toBe(frontIn.spanId);
    expect(reviewsIn.parentSpanId).toBe(frontOut.spanId);
    expect(reviewsOut.parentSpanId).toBe(reviewsIn.spanId);
    expect(ratingsIn.parentSpanId).toBe(reviewsOut.spanId);
  }, 60_000);
});
