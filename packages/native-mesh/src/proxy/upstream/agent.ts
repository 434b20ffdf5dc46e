import { Agent, type ClientRequestArgs } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';

export interface PoolAgentOptions {
  /** TCP connect timeout (read per connection: config updates apply to new connections). */
  readonly connectTimeoutMs: () => number;
  /** Idle keep-alive connections are closed after this long. */
  readonly idleTimeoutMs: number;
  /** Called when a connection opens (+1) or closes (-1), for limits and the connection gauge. */
  readonly onConnectionCount: (delta: 1 | -1) => void;
  /** Asked when a request finishes on a connection: may it stay open for the next one? */
  readonly mayKeep: (requestsServed: number) => boolean;
  /** TLS for a new connection (mTLS to the peer sidecar), or undefined for plaintext; read per connection, so a mode change or a rotated certificate applies to the next one. */
  readonly tls?: () => ConnectionOptions | undefined;
}

/** Marks connect timeouts so the attempt can classify them as connect failures. */
export const CONNECT_TIMEOUT = 'ANYMESH_CONNECT_TIMEOUT';

const served = new WeakMap<Duplex, number>();

/** Counts a request on a connection (called when the request gets its socket). */
export function countRequestOn(socket: Duplex): void {
  served.set(socket, (served.get(socket) ?? 0) + 1);
}

/** True when the connection served a request before (reuse races with the server's idle close). */
export function wasReused(socket: Duplex): boolean {
  return (served.get(socket) ?? 0) > 1;
}

/**
 * A keep-alive pool to one endpoint: node's Agent plus a connect timeout, a live connection count
 * and a keep/close decision per released connection (max requests per connection, total
 * connection cap). The sidecar's circuit breaker decides how many requests reach it.
 */
export class PoolAgent extends Agent {
  readonly #options: PoolAgentOptions;

  constructor(options: PoolAgentOptions) {
    super({ keepAlive: true, scheduling: 'lifo', timeout: options.idleTimeoutMs });
    this.#options = options;
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex {
    const tls = this.#options.tls?.();
    const socket =
      tls === undefined
        ? (super.createConnection(options, callback) as Socket)
        : connectTls({ host: options.host ?? '127.0.0.1', port: Number(options.port), ...tls });
    const count = this.#options.onConnectionCount;
    count(1);
    const timer = setTimeout(() => {
      const error = new Error('connect timeout') as NodeJS.ErrnoException;
      error.code = CONNECT_TIMEOUT;
      socket.destroy(error);
    }, this.#options.connectTimeoutMs());
    // Over TLS the connection is usable (and the peer's identity checked) only after the handshake.
    socket.once(tls === undefined ? 'connect' : 'secureConnect', () => clearTimeout(timer));
    socket.once('close', () => {
      clearTimeout(timer);
      count(-1);
    });
    return socket;
  }

  // Node uses the return value (falsy: destroy the socket); @types/node declares it void.
  override keepSocketAlive(socket: Duplex): boolean {
    if (!this.#options.mayKeep(served.get(socket) ?? 0)) return false;
    return super.keepSocketAlive(socket) as unknown as boolean;
  }
}
