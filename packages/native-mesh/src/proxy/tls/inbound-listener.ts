import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { dispatchByFirstByte, trackRawSockets } from '../../identity/tls-sniff.js';
import type { WorkloadCertificates } from './workload-certificates.js';

/** `Mesh.spec.mtls.mode`, as the sidecar enforces it on its inbound port. */
export type MtlsMode = 'strict' | 'permissive' | 'disabled';

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
 * - permissive: the first byte is read: 0x16 starts TLS, anything else is served as plaintext
 *   (`dispatchByFirstByte`).
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

  const track = trackRawSockets(server);
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    track(socket);
    socket.setNoDelay(true);
    const current = mode();
    if (current === 'strict') return void tlsServer.emit('connection', socket);
    if (current === 'disabled') {
      for (const listener of serveHttp) listener.call(server, socket);
      return;
    }
    dispatchByFirstByte(
      socket,
      (stream) => tlsServer.emit('connection', stream),
      (plain) => serveHttp.forEach((listener) => listener.call(server, plain)),
    );
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
