// Reference for the benchmark: the smallest node:http forwarding proxy (keep-alive agent, pipes),
// so the table separates what Node's HTTP stack costs from what anymesh adds.
// argv[2]: JSON { upstreamPort, tls? } where tls = { side: 'client' | 'server', ca, cert, key }
// (PEM file paths): 'server' listens with mutual TLS 1.3, 'client' forwards over it.
// Prints its port once listening.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

const { upstreamPort, tls } = JSON.parse(process.argv[2]!) as {
  upstreamPort: number;
  tls?: { side: 'client' | 'server'; ca: string; cert: string; key: string };
};
const material = tls && {
  ca: readFileSync(tls.ca),
  cert: readFileSync(tls.cert),
  key: readFileSync(tls.key),
  minVersion: 'TLSv1.3' as const,
};
const tlsClient = material !== undefined && tls?.side === 'client';
const agent = tlsClient
  ? new https.Agent({ keepAlive: true, ...material, checkServerIdentity: () => undefined })
  : new http.Agent({ keepAlive: true });
const send = tlsClient ? https.request : http.request;

const handler: http.RequestListener = (req, res) => {
  const upstream = send(
    { agent, host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
    (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
};
const server =
  material !== undefined && tls?.side === 'server'
    ? https.createServer({ ...material, requestCert: true, rejectUnauthorized: true, keepAliveTimeout: 75_000 }, handler)
    : http.createServer({ keepAliveTimeout: 75_000 }, handler);
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
