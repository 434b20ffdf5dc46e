import type { ConsistentHash } from '@anymesh/core';
import type { IncomingMessage } from 'node:http';

/** The value a consistent-hash load balancer hashes: a header, a cookie, or the caller's address. */
export function hashKeyOf(policy: ConsistentHash | undefined, req: IncomingMessage): string | undefined {
  if (policy === undefined) return undefined;
  if ('header' in policy) {
    const v = req.headers[policy.header.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  if ('cookie' in policy) return cookieValue(req.headers.cookie, policy.cookie.name);
  return req.socket.remoteAddress;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
