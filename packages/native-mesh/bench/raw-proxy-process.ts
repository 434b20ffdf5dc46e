// Reference for the benchmark: the smallest node:http forwarding proxy (keep-alive agent, pipes),
// so the table separates what Node's HTTP stack costs from what anymesh adds. argv[2]: upstream port.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstreamPort = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true });
const server = createServer({ keepAliveTimeout: 75_000 }, (req, res) => {
  const upstream = request(
    { agent, host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
    (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
