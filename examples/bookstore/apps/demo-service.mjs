// A small demo service for `anymesh up`: plain Node, no dependencies.
//
// Environment (set by the runner and the Workload's `env`):
//   PORT              port to listen on (127.0.0.1)
//   SERVICE, VERSION, NAMESPACE, INSTANCE   who this is; echoed in every answer
//   ANYMESH_OUTBOUND  the sidecar's outbound listener, e.g. http://127.0.0.1:15001
//   UPSTREAMS         services called per request: "svc:/path,svc:POST /path"
//   ERROR_RATE        0..1, share of requests answered 500 (default 0)
//   LATENCY_MS        mean added latency, ±25 % jitter (default 0)
//
// Other services are addressed by name: the request goes to $ANYMESH_OUTBOUND with `Host: <service>`
// and the sidecar routes it. Trace and routing headers of the incoming request are passed on, so
// header-based routes and traces work across hops.
import { createServer, request } from 'node:http';

const env = process.env;
const port = Number(env.PORT ?? 8080);
const service = env.SERVICE ?? 'demo';
const version = env.VERSION ?? 'v1';
const instance = env.INSTANCE ?? `${service}-${version}-${process.pid}`;
const outbound = env.ANYMESH_OUTBOUND ? new URL(env.ANYMESH_OUTBOUND) : undefined;
const errorRate = Number(env.ERROR_RATE ?? 0);
const latencyMs = Number(env.LATENCY_MS ?? 0);
const upstreams = parseUpstreams(env.UPSTREAMS ?? '');
const UPSTREAM_TIMEOUT_MS = 10_000;

/** "svc:/path,svc:POST /path" → [{ service, method, path }] */
function parseUpstreams(text) {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const colon = item.indexOf(':');
      if (colon < 1) throw new Error(`UPSTREAMS entry "${item}" must look like "service:/path" or "service:POST /path"`);
      const target = item.slice(colon + 1).trim();
      const [method, path] = target.includes(' ') ? target.split(/\s+/, 2) : ['GET', target];
      return { service: item.slice(0, colon), method: method.toUpperCase(), path };
    });
}

/** Headers a real app would pass on: trace context, request id, and the caller's routing headers (x-user-type, x-canary, …). */
function propagated(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const keep =
      name === 'traceparent' ||
      name === 'tracestate' ||
      name === 'baggage' ||
      (name.startsWith('x-') && !name.startsWith('x-forwarded-') && !name.startsWith('x-anymesh-'));
    if (keep) out[name] = value;
  }
  return out;
}

function callUpstream(upstream, headers) {
  const started = Date.now();
  const done = (status, body, error) => ({ ...upstream, status, ms: Date.now() - started, ...(error ? { error } : { body }) });
  if (!outbound) return Promise.resolve(done(0, undefined, 'ANYMESH_OUTBOUND is not set'));
  return new Promise((resolve) => {
    const req = request(
      {
        host: outbound.hostname,
        port: outbound.port,
        method: upstream.method,
        path: upstream.path,
        headers: { ...headers, host: upstream.service, 'content-length': 0 },
        timeout: UPSTREAM_TIMEOUT_MS,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body;
          try {
            body = JSON.parse(text);
          } catch {
            body = text.slice(0, 200);
          }
          resolve(done(res.statusCode ?? 0, body));
        });
        res.on('error', (e) => resolve(done(0, undefined, e.message)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${UPSTREAM_TIMEOUT_MS} ms`)));
    req.on('error', (e) => resolve(done(0, undefined, e.message)));
    req.end();
  });
}

function send(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = createServer(async (req, res) => {
  req.resume(); // bodies are not used; drain them
  const path = req.url ?? '/';
  const who = { service, version, instance, path };
  if (path === '/healthz') return send(res, 200, { ...who, status: 'ok' });
  if (latencyMs > 0) await sleep(latencyMs * (0.75 + Math.random() * 0.5));
  if (Math.random() < errorRate) return send(res, 500, { ...who, error: 'injected failure (ERROR_RATE)' });
  const headers = propagated(req.headers);
  const results = await Promise.all(upstreams.map((u) => callUpstream(u, headers)));
  // A failed dependency fails this request too, as it would in a real app: errors show up along the call graph.
  const failed = results.some((r) => r.status === 0 || r.status >= 500);
  send(res, failed ? 502 : 200, { ...who, upstreams: results });
});

server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
