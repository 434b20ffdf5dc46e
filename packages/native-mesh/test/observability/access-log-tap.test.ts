import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { requestChannel, type ProxyRequestMessage } from '../../src/proxy/diagnostics.js';
import { openTap, TAP_MAX_BUFFERED_BYTES, type TapEvent, type TapSession } from '../../src/proxy/index.js';
import { TapHub } from '../../src/proxy/tap/tap-hub.js';
import { eventually, send, TestMeshNodes, type TestNode } from '../access/harness.js';

const SERVICES = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
`;
const MESH = (accessLogs: string) => `apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: test }
spec:
  observability:
    accessLogs: ${accessLogs}
---
${SERVICES}`;

describe('access logs and tap', () => {
  let mesh: TestMeshNodes;
  let tap: TapSession | undefined;
  afterEach(async () => {
    tap?.close();
    tap = undefined;
    await mesh.close();
  });

  async function start(yaml: string, log: string[]): Promise<{ client: TestNode; v1: TestNode; v2: TestNode }> {
    mesh = new TestMeshNodes();
    const sink = { write: (line: string) => log.push(line) };
    const v1 = await mesh.add({ namespace: 'shop', service: 'reviews', version: 'v1', extras: { accessLog: sink } });
    const v2 = await mesh.add({ namespace: 'shop', service: 'reviews', version: 'v2', extras: { accessLog: sink } });
    const client = await mesh.add({ namespace: 'shop', service: 'client', version: 'v1', extras: { accessLog: sink } });
    mesh.push(yaml);
    return { client, v1, v2 };
  }

  it('writes one JSON line per request and hop with the fields users grep for', async () => {
    const log: string[] = [];
    const { client } = await start(MESH('{ enabled: true }'), log);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const reply = await send(client.sidecar.outboundPort, 'reviews', '/books/1?x=1', {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(reply.status).toBe(200);
    await eventually(() => expect(log).toHaveLength(2));
    const [inbound, outbound] = ['inbound', 'outbound'].map((d) =>
      log.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.direction === d),
    );
    expect(outbound).toMatchObject({
      source: 'client',
      source_version: 'v1',
      destination: 'reviews',
      method: 'GET',
      path: '/books/1',
      code: 200,
      attempts: 1,
      retries: 0,
      trace_id: traceId,
    });
    expect(inbound).toMatchObject({
      source: 'client',
      destination: 'reviews',
      code: 200,
      mtls: false,
      identity: null,
      trace_id: traceId,
      access: 'allow',
      access_rule: 'default',
    });
    for (const record of [inbound!, outbound!]) {
      expect(Date.parse(record.time as string)).toBeGreaterThan(Date.now() - 60_000);
      expect(record.duration_ms).toBeGreaterThanOrEqual(0);
      expect(['v1', 'v2']).toContain(record.destination_version);
    }
  }, 60_000);

  it('writes key=value lines in the text format, and nothing when the Mesh turns access logs off', async () => {
    const log: string[] = [];
    const { client } = await start(MESH('{ enabled: true, format: text }'), log);
    await send(client.sidecar.outboundPort, 'reviews', '/a');
    await eventually(() => expect(log).toHaveLength(2));
    expect(log[0]).toMatch(/^time=\S+ sidecar=\S+ direction=(inbound|outbound) .*method=GET path=\/a code=200 /);
    mesh.push(MESH('{ enabled: false }'));
    await send(client.sidecar.outboundPort, 'reviews', '/b');
    await new Promise((r) => setTimeout(r, 200));
    expect(log).toHaveLength(2);
  }, 60_000);

  it('streams live requests of every instance of a service, filtered by path, merged', async () => {
    const { client, v1, v2 } = await start(MESH('{ enabled: false }'), []);
    const events: { event: TapEvent; from: string }[] = [];
    const errors: Error[] = [];
    const targets = [v1, v2].map((n) => ({ id: n.info.id, adminUrl: `http://127.0.0.1:${n.sidecar.adminPort}` }));
    tap = openTap(
      targets,
      { path: '/books' },
      { onEvent: (event, from) => events.push({ event, from: from.id }), onError: (e) => errors.push(e) },
    );
    // The tap streams open asynchronously: send until both instances have reported a request.
    await eventually(async () => {
      // Three calls per round, so a round-robin balancer sends /books to both instances over two rounds.
      await send(client.sidecar.outboundPort, 'reviews', '/books/7');
      await send(client.sidecar.outboundPort, 'reviews', '/books/7');
      await send(client.sidecar.outboundPort, 'reviews', '/other');
      expect(new Set(events.map((e) => e.from))).toEqual(new Set(targets.map((t) => t.id)));
    });
    expect(errors).toEqual([]);
    for (const { event } of events) {
      expect(event).toMatchObject({ type: 'request', direction: 'inbound', destination: 'reviews', path: '/books/7', code: 200 });
    }
  }, 60_000);

  it('drops events for a reader that does not keep up, and says how many, instead of slowing the proxy', () => {
    const hub = new TapHub('s-1');
    const written: string[] = [];
    const res = {
      writableLength: TAP_MAX_BUFFERED_BYTES + 1,
      writeHead: () => res,
      flushHeaders: () => undefined,
      write: (line: string) => written.push(line),
      end: () => undefined,
      once: () => res,
    };
    const req = { socket: { once: () => undefined } };
    hub.serve(req as never, res as unknown as ServerResponse, new URLSearchParams());
    const message: ProxyRequestMessage = {
      sidecar: 's-1',
      direction: 'inbound',
      method: 'GET',
      path: '/x',
      sourceService: 'a',
      sourceVersion: '',
      destinationService: 'b',
      destinationVersion: '',
      upstreamInstance: undefined,
      rule: undefined,
      status: 200,
      reason: undefined,
      attempts: 1,
      durationMs: 1,
    };
    for (let i = 0; i < 3; i++) requestChannel.publish(message);
    expect(written).toEqual([]);
    res.writableLength = 0;
    requestChannel.publish(message);
    hub.close();
    expect(written.map((l) => (JSON.parse(l) as TapEvent).type)).toEqual(['dropped', 'request']);
    expect(JSON.parse(written[0]!)).toEqual({ type: 'dropped', count: 3 });
  });
});
