import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { dispatchByFirstByte, trackRawSockets } from '../../identity/index.js';
import type { ControlPlaneCredentials } from './credentials.js';

/**
 * Makes the control plane's HTTP port speak TLS 1.3 as well: a connection starting with a TLS
 * handshake gets the control plane's certificate and may present a mesh client certificate
 * (sidecars do, once they have one; a sidecar bootstrapping with its join token does not yet, so a
 * missing certificate is not fatal here: the routes decide what each caller may do). Plaintext
 * stays for local admin tools, which authenticate with the admin token.
 */
export function serveTlsToo(server: Server, credentials: ControlPlaneCredentials): void {
  const serveHttp = server.listeners('connection') as ((socket: Duplex) => void)[];
  const tlsServer = createTlsServer({
    key: credentials.serving.key,
    cert: credentials.serving.cert,
    ca: credentials.ca.bundlePem,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.3',
  });
  tlsServer.on('secureConnection', (socket: TLSSocket) => {
    for (const listener of serveHttp) listener.call(server, socket);
  });
  tlsServer.on('tlsClientError', () => undefined);
  const track = trackRawSockets(server);
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    track(socket);
    dispatchByFirstByte(
      socket,
      (stream) => tlsServer.emit('connection', stream),
      (plain) => serveHttp.forEach((listener) => listener.call(server, plain)),
    );
  });
}
