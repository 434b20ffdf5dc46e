import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Fallback when /proc is not there: Linux's default ephemeral range starts here. */
const DEFAULT_EPHEMERAL_LOW = 32_768;
/** Lowest port we hand out: above the registered ports most local servers use. */
const LOWEST_PORT = 20_000;
const ATTEMPTS = 64;

/**
 * A port that was free a moment ago, for a child process to bind.
 *
 * Why not simply bind :0? The kernel answers from the ephemeral range, the same range it draws the
 * local ports of outgoing connections from: on a machine making thousands of loopback connections
 * (demo load, tests, benchmarks), a port we released is soon the source port of some connection
 * and the child's `listen` fails with EADDRINUSE. Ports below the ephemeral range are only ever
 * taken by someone binding them on purpose, so we pick a random one there and check it binds.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const high = ephemeralLow() - 1;
  for (let i = 0; i < ATTEMPTS && high > LOWEST_PORT; i++) {
    const candidate = LOWEST_PORT + Math.floor(Math.random() * (high - LOWEST_PORT));
    if (await canBind(candidate, host)) return candidate;
  }
  return bindAny(host);
}

/** Distinct free ports. */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort(host));
  return [...ports];
}

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function bindAny(host: string): Promise<number> {
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
