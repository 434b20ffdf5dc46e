import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AnymeshProxyError } from '../errors.js';
import { forwardableHeaders } from '../filters/headers.js';

export const REASON_HEADER = 'x-anymesh-reason';

/** Answers locally (error, redirect, fault) with the reason header and a one-line body. */
export function sendLocal(res: ServerResponse, status: number, reason: string, message: string, extra?: OutgoingHttpHeaders): void {
  if (res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${message}\n`;
  res.writeHead(status, {
    ...extra,
    [REASON_HEADER]: reason,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendError(res: ServerResponse, error: AnymeshProxyError): void {
  sendLocal(res, error.status, error.reason, `anymesh: ${error.message}`);
}

/**
 * Streams an upstream response to the caller: status and end-to-end headers (optionally
 * changed), then the body. An upstream failure mid-body resets the caller's connection rather
 * than ending a truncated body cleanly.
 */
export function relayResponse(upstream: IncomingMessage, res: ServerResponse, change?: (headers: OutgoingHttpHeaders) => void): void {
  const headers = forwardableHeaders(upstream.headers);
  change?.(headers);
  res.writeHead(upstream.statusCode ?? 502, headers);
  upstream.on('error', () => res.destroy());
  upstream.on('aborted', () => res.destroy());
  upstream.pipe(res);
}

/** Answers a local error with a JSON body (e.g. an access denial naming the rule that decided). */
export function sendJsonError(res: ServerResponse, error: AnymeshProxyError, body: Record<string, unknown>): void {
  if (res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(error.status, {
    [REASON_HEADER]: error.reason,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
