import type { IncomingMessage, ServerResponse } from 'node:http';

/** A client mistake answered with a 4xx and a JSON body `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Policy texts are bounded by core's 8 MiB file limit; a body well above that is refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readJsonBody(request: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `send the body as JSON with content-type: application/json (got "${type}")`);
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new HttpError(413, 'BODY_TOO_LARGE', `body of ${declared} bytes is above the ${maxBytes}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, 'BODY_TOO_LARGE', `body is above the ${maxBytes}-byte limit`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'EMPTY_BODY', 'the request needs a JSON body');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'INVALID_JSON', `body is not valid JSON: ${(error as Error).message}`);
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRawJson(response, status, JSON.stringify(body), headers);
}

/** Sends an already serialised JSON text (snapshots are serialised once per version, not per watcher). */
export function sendRawJson(response: ServerResponse, status: number, json: string, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...headers });
  response.end(json);
}

export function sendError(response: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  sendJson(response, error.status, { error: { code: error.code, message: error.message } }, { ...error.headers, ...headers });
}
