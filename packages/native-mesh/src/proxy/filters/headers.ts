import type { OutgoingHttpHeaders } from 'node:http';
import type { HeaderChanges } from '../config/compiled-rule.js';

/** Applies set, then add (appends to an existing value), then remove, to lower-cased headers. */
export function applyHeaderChanges(headers: OutgoingHttpHeaders, changes: HeaderChanges): void {
  for (const [name, value] of changes.set) headers[name] = value;
  for (const [name, value] of changes.add) {
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) headers[name] = [...existing, value];
    else headers[name] = [String(existing), value];
  }
  for (const name of changes.remove) delete headers[name];
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) never forwarded, plus the proxy form's own. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Copies end-to-end headers, dropping hop-by-hop ones and those the Connection header names. */
export function forwardableHeaders(incoming: Readonly<Record<string, string | string[] | undefined>>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const connection = incoming['connection'];
  const named =
    typeof connection === 'string' && connection !== 'keep-alive' && connection !== 'close'
      ? connection.toLowerCase().split(/\s*,\s*/)
      : undefined;
  for (const name in incoming) {
    if (HOP_BY_HOP.has(name)) continue;
    if (named?.includes(name)) continue;
    out[name] = incoming[name];
  }
  return out;
}
