import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import type { WorkloadCertificates } from './workload-certificates.js';

/** `Mesh.spec.mtls.mode`, as the sidecar enforces it on its inbound port. */
export type MtlsMode = 'strict' | 'permissive' | 'disabled';

/** The first byte of a TLS handshake record; an HTTP/1.1 request starts with a method letter. */
const TLS_HANDSHAKE = 0x16;

/** Whether a connection (TLS or not) may be served in `mode`. */
export function admits(mode: MtlsMode, tls: boolean): boolean {
  return mode === 'permissive' || (mode === 'strict') === tls;
}

/**
 * Puts mutual TLS 1.3 in front of an HTTP server that is already listening. Each new connection
 * is dispatched by the mode in force when it arrives (read per connection, so a config change
 * applies to the next connection; requests on open connections are re-checked per request):
 *
 * - strict: the socket goes straight to TLS; a client without a certificate the mesh CA verifies
 *   fails the handshake.
 * - permissive: the first byte is read: 0x16 starts TLS (through a stream wrapper, since the byte
 *   already read must be replayed), anything else is served as plaintext.
 * - disabled: plaintext only.
 *
 * (Without certificates the sidecar has no identity: it is not called, and everything is plaintext.)
 */
export function secureInbound(server: Server, certificates: WorkloadCertificates, mode: () => MtlsMode): void {
  const serveHttp = server.listeners('connection') as ((socket: Duplex) => void)[];

  const tlsServer = createTlsServer({ ...contextOptions(certificates), requestCert: true, rejectUnauthorized: true });
  // New handshakes use the new certificate; established connections keep theirs.
  certificates.onRotate(() => tlsServer.setSecureContext(contextOptions(certificates)));
  tlsServer.on('secureConnection', (socket: TLSSocket) => {
    socket.setNoDelay(true);
    for (const listener of serveHttp) listener.call(server, socket);
  });
  // A refused handshake (no certificate, unknown CA, expired) is the caller's failure, not ours.
  tlsServer.on('tlsClientError', () => undefined);

  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    socket.setNoDelay(true);
    const current = mode();
    if (current === 'strict') return void tlsServer.emit('connection', socket);
    if (current === 'disabled') {
      for (const listener of serveHttp) listener.call(server, socket);
      return;
    }
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) {
        // TLS would read from the socket's handle and miss the replayed byte: give it a stream view.
        const view = Duplex.from({ readable: socket, writable: socket });
        view.on('close', () => socket.destroy());
        tlsServer.emit('connection', view);
      } else {
        for (const listener of serveHttp) listener.call(server, socket);
      }
      socket.resume();
    });
  });
}

/**
 * Wraps the inbound handler: a request on a connection admitted under an earlier mode is refused
 * (connection cut) when the mode in force no longer admits it, e.g. plaintext after a switch to strict.
 */
export function admittedOnly(
  mode: () => MtlsMode,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (!admits(mode(), req.socket instanceof TLSSocket)) return void req.socket.destroy();
    handler(req, res);
  };
}

function contextOptions(certificates: WorkloadCertificates) {
  return { key: certificates.keyPem, cert: certificates.certificatePem, ca: certificates.ca, minVersion: 'TLSv1.3' as const };
}
