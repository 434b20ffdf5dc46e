import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test app answers to one request. */
export interface Behaviour {
  readonly status?: number;
  readonly delayMs?: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The caller's port: tells connections apart. */
  readonly remotePort: number;
}

/** A tiny app whose answers tests control, recording what it receives. */
export interface TestApp {
  readonly name: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  behave: (req: SeenRequest) => Behaviour;
  close(): Promise<void>;
}

export async function startApp(name: string, behave: (req: SeenRequest) => Behaviour = () => ({})): Promise<TestApp> {
  const seen: SeenRequest[] = [];
  const app: { behave: (req: SeenRequest) => Behaviour } = { behave };
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        remotePort: req.socket.remotePort ?? 0,
      };
      seen.push(request);
      const b = app.behave(request);
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(b.status ?? 200, { 'content-type': 'text/plain', 'x-app': name, ...b.headers });
        res.end(b.body ?? name);
      };
      if (b.delayMs) setTimeout(answer, b.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    seen,
    get behave() {
      return app.behave;
    },
    set behave(fn) {
      app.behave = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
