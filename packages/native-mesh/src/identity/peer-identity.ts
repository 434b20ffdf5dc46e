import type { TLSSocket } from 'node:tls';

/**
 * The verified SPIFFE ID of the peer of a TLS connection, or undefined when the peer presented no
 * certificate the server's CA verifies. Never read from a header: a caller can set headers.
 */
export function verifiedPeerIdentity(socket: TLSSocket): string | undefined {
  if (!socket.authorized) return undefined;
  const san = socket.getPeerCertificate().subjectaltname ?? '';
  for (const part of san.split(', ')) if (part.startsWith('URI:spiffe://')) return part.slice(4);
  return undefined;
}
