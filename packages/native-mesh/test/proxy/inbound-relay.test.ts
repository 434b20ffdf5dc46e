import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSidecar, type ProxySidecar } from '../../src/proxy/index.js';
import type { InstanceInfo } from '../../src/protocol/types.js';

const SELF: InstanceInfo = {
  id: 'reviews-v1-0',
  namespace: 'shop',
  service: 'reviews',
  version: 'v1',
  host: '127.0.0.1',
  inboundPort: 0,
  servicePort: 9080,
  adminPort: 0,
  locality: undefined,
  identity: 'spiffe://cluster.local/ns/shop/sa/reviews',
};
const NO_CONFIG = { subscribe: () => undefined, close: async () => undefined };
const LARGE = Buffer.alloc(300 * 1024, 'abcdefghij');

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(port: number, path: string, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('inbound relay to the app', () => {
  let app: Server | undefined;
  let sidecar: ProxySidecar | undefined;
  afterEach(async () => {
    await sidecar?.close();
    if (app) await new Promise((resolve) => app!.close(resolve).closeAllConnections());
    sidecar = undefined;
    app = undefined;
  });

  async function start(): Promise<number> {
    app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/large') {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(LARGE);
          return;
        }
        if (req.url === '/echo') {
          res.writeHead(201, { 'x-length': String(Buffer.concat(chunks).length) });
          res.end(Buffer.concat(chunks));
          return;
        }
        res.writeHead(
          200,
          [
            ['set-cookie', 'a=1'],
            ['set-cookie', 'b=2'],
            ['connection', 'keep-alive, x-private'],
            ['x-private', 'hop'],
            ['x-kept', 'yes'],
          ].flat(),
        );
        res.end('small');
      });
    });
    await new Promise<void>((resolve) => app!.listen(0, '127.0.0.1', resolve));
    sidecar = await startSidecar({ instance: SELF, appPort: (app.address() as AddressInfo).port, outboundPort: 0, config: NO_CONFIG });
    return sidecar.inboundPort;
  }

  it('relays a small answer with repeated headers and without the hop-by-hop ones the Connection header names', async () => {
    const port = await start();
    const answer = await send(port, '/small');
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('small');
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer.headers['x-kept']).toBe('yes');
    expect(answer.headers['x-private']).toBeUndefined();
  }, 30_000);

  it('streams an answer larger than the single-write limit intact, and a 300 KiB request body to the app', async () => {
    const port = await start();
    const large = await send(port, '/large');
    expect(large.status).toBe(200);
    expect(large.body.equals(LARGE)).toBe(true);
    const echoed = await send(port, '/echo', LARGE);
    expect(echoed.status).toBe(201);
    expect(echoed.headers['x-length']).toBe(String(LARGE.length));
    expect(echoed.body.equals(LARGE)).toBe(true);
  }, 30_000);
});
