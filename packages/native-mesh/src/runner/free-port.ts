import { createServer } from 'node:net';

/**
 * A port that was free a moment ago: bind :0, read the port, close. Another process could take
 * it before the child binds; on one machine with ports from the ephemeral range that is rare, and
 * the child then fails fast and the runner reports it.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Distinct free ports: the kernel may hand back a just-closed port, so keep asking until they differ. */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort(host));
  return [...ports];
}
