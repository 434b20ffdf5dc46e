import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { verifiedPeerIdentity } from '../../identity/index.js';
import { HttpError } from '../http-io.js';
import type { ControlPlaneCredentials } from './credentials.js';

/** Who is calling the control plane. */
export type Principal =
  /** The admin token, or (for tools) nothing else needed. */
  | { readonly kind: 'admin' }
  /** A sidecar presenting its mesh certificate over TLS. */
  | { readonly kind: 'workload'; readonly identity: string }
  /** A bearer token that is not the admin token: a join token, checked against the identity asked for. */
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'anonymous' };

export function principalOf(request: IncomingMessage, credentials: ControlPlaneCredentials): Principal {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    return credentials.isAdminToken(match[1]) ? { kind: 'admin' } : { kind: 'bearer', token: match[1] };
  }
  if (request.socket instanceof TLSSocket) {
    const identity = verifiedPeerIdentity(request.socket);
    if (identity !== undefined) return { kind: 'workload', identity };
  }
  return { kind: 'anonymous' };
}

export function unauthenticated(message: string): HttpError {
  return new HttpError(401, 'UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer' });
}

export function forbidden(message: string): HttpError {
  return new HttpError(403, 'FORBIDDEN', message);
}

/** Admin endpoints: apply, registry and policy reads. */
export function requireAdmin(principal: Principal): void {
  if (principal.kind === 'admin') return;
  throw principal.kind === 'anonymous'
    ? unauthenticated("this endpoint needs the admin token: Authorization: Bearer <token from the state dir's admin-token>")
    : forbidden('this endpoint needs the admin token');
}

/** Sidecar endpoints: a workload certificate, or the admin token (tools, tests). Returns the workload identity, if any. */
export function requireWorkloadOrAdmin(principal: Principal): string | undefined {
  if (principal.kind === 'admin') return undefined;
  if (principal.kind === 'workload') return principal.identity;
  throw principal.kind === 'anonymous'
    ? unauthenticated('sidecars authenticate with their mesh certificate (TLS), tools with the admin token')
    : forbidden('a join token only obtains a certificate (POST /v1/certificates)');
}
