import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTraceparent, HopTracer, parseTraceparent } from '../../src/observability/index.js';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

/** A real OTLP/HTTP collector: records the spans posted to /v1/traces (JSON encoding). */
function startCollector(): Promise<{ server: Server; url: string; spans: ExportedSpan[] }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const payload = JSON.parse(body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue: string } }[] };
          scopeSpans: { spans: ExportedSpan[] }[];
        }[];
      };
      for (const rs of payload.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, spans, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/traces` }),
    ),
  );
}

describe('tracing', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(() => new Promise<void>((done) => collector.server.close(() => done())));

  it('parses and formats traceparent, refusing malformed and all-zero ids', () => {
    const ctx = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true };
    expect(parseTraceparent(formatTraceparent(ctx))).toEqual(ctx);
    expect(parseTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(undefined)).toBeUndefined();
  });

  it('records a request across three services as one trace with the right parent links, exported over OTLP', async () => {
    const tracers = ['frontend', 'reviews', 'ratings'].map(
      (s) => new HopTracer({ serviceName: s, endpoint: collector.url, samplingPercent: 100 }),
    );
    // frontend receives a request without trace context, calls reviews, which calls ratings.
    const front = tracers[0]!.startHop('frontend inbound', undefined, {}, 'server');
    const reviews = tracers[1]!.startHop('reviews inbound', front.traceparent, {}, 'server');
    const ratings = tracers[2]!.startHop('ratings inbound', reviews.traceparent, {}, 'server');
    ratings.end(200);
    reviews.end(200);
    front.end(200);
    for (const t of tracers) await t.shutdown();

    const trace = collector.spans.filter((s) => s.traceId === front.traceId);
    expect(trace.map((s) => s.service).sort()).toEqual(['frontend', 'ratings', 'reviews']);
    const by = (svc: string) => trace.find((s) => s.service === svc)!;
    expect(by('frontend').parentSpanId ?? '').toBe('');
    expect(by('reviews').parentSpanId).toBe(by('frontend').spanId);
    expect(by('ratings').parentSpanId).toBe(by('reviews').spanId);
  });

  it('follows the caller’s decision not to sample, whatever the local rate', async () => {
    const tracer = new HopTracer({ serviceName: 'unsampled', endpoint: collector.url, samplingPercent: 100 });
    const incoming = formatTraceparent({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), sampled: false });
    const hop = tracer.startHop('hop', incoming, {}, 'server');
    hop.end(200);
    await tracer.shutdown();
    expect(hop.traceparent.endsWith('-00')).toBe(true);
    expect(collector.spans.filter((s) => s.service === 'unsampled')).toEqual([]);
  });
});
