import type { IncomingMessage } from 'node:http';

/** Bodies up to this size are buffered so the request can be retried or mirrored (as Linkerd). */
export const REPLAYABLE_BODY_LIMIT = 64 * 1024;

/**
 * A request body: none, buffered whole (replayable), or too large: the buffered head followed by
 * the rest of the stream, which can be sent once only.
 */
export type RequestBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'buffered'; readonly data: Buffer }
  | { readonly kind: 'streaming'; readonly head: readonly Buffer[]; readonly rest: IncomingMessage };

export const NO_BODY: RequestBody = { kind: 'none' };

export function isReplayable(body: RequestBody): boolean {
  return body.kind !== 'streaming';
}

export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Reads the body up to the limit; beyond it, stops reading and hands the stream on. */
export function readBody(req: IncomingMessage, limit = REPLAYABLE_BODY_LIMIT): Promise<RequestBody> {
  if (!hasBody(req)) return Promise.resolve(NO_BODY);
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve({ kind: 'streaming', head: [], rest: req });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve({ kind: 'streaming', head: chunks, rest: req });
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(size === 0 ? NO_BODY : { kind: 'buffered', data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // The caller went away before the body ended.
    const onClose = () => onError(new Error('request body aborted'));
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
