import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** The first byte of a TLS handshake record; an HTTP/1.1 request starts with a method letter. */
const TLS_HANDSHAKE = 0x16;

/**
 * Serves TLS and plaintext on one port: reads the first byte of a new connection and hands the
 * connection to `onTls` (a handshake record) or `onPlaintext`. TLS gets a stream view of the
 * socket, because node's TLS would read from the socket's handle and miss the byte already read.
 */
export function dispatchByFirstByte(socket: Socket, onTls: (stream: Duplex) => void, onPlaintext: (socket: Socket) => void): void {
  socket.once('data', (first: Buffer) => {
    socket.pause();
    socket.unshift(first);
    if (first[0] === TLS_HANDSHAKE) {
      const view = Duplex.from({ readable: socket, writable: socket });
      view.on('close', () => socket.destroy());
      onTls(view);
    } else {
      onPlaintext(socket);
    }
    socket.resume();
  });
}

/**
 * Makes `server.closeAllConnections()` also cut sockets the HTTP server does not track: those
 * still waiting for their first byte, and the raw sockets under TLS connections. Without this,
 * closing the server would wait on them. Returns the function that registers a socket.
 */
export function trackRawSockets(server: { closeAllConnections(): void }): (socket: Socket) => void {
  const raw = new Set<Socket>();
  const closeTracked = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeTracked();
    for (const socket of raw) socket.destroy();
  };
  return (socket) => {
    raw.add(socket);
    socket.once('close', () => raw.delete(socket));
  };
}
