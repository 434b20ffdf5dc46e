import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { hasBody } from '../filters/body.js';
import { forwardableRawHeaders } from '../filters/raw-headers.js';

/** A response body up to this size is written to the caller together with its head, in one write. */
export const SINGLE_WRITE_LIMIT = 64 * 1024;

/**
 * The inbound side's connections to its app on 127.0.0.1: an undici pool (keep-alive, no
 * pipelining, honours the app's Keep-Alive timeout hint so a reused connection is not one the app
 * is closing). No timeouts of its own: the calling sidecar's request timeout bounds a request, and
 * an app may stream for long. undici rather than `http.request`: the profile of the inbound hop
 * showed ClientRequest/IncomingMessage/stream bookkeeping as the largest share after the syscalls.
 */
export class AppClient {
  readonly #pool: Pool;

  constructor(appPort: number) {
    this.#pool = new Pool(`http://127.0.0.1:${appPort}`, { pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
  }

  /**
   * Sends the request to the app and relays the answer to `res`. `onError` is called when the
   * app could not be reached or failed before answering (nothing was written to `res` yet); a
   * failure mid-response resets the caller's connection instead.
   */
  forward(req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders, onError: (error: Error) => void): void {
    const handler = new RelayHandler(res, onError);
    res.once('close', () => handler.callerClosed());
    const body = hasBody(req) ? req : null;
    this.#pool.dispatch(
      { method: (req.method ?? 'GET') as Dispatcher.HttpMethod, path: req.url ?? '/', headers: headers as Record<string, string>, body },
      handler,
    );
  }

  close(): Promise<void> {
    return this.#pool.destroy();
  }
}

/**
 * Writes the app's answer to the caller. A small body is held until it is complete and written
 * with the head in one `end()` (one write syscall instead of two); a larger one streams with
 * backpressure (the app's connection is paused while the caller's socket is full).
 *
 * Implements undici's classic handler interface (onConnect/onHeaders/onData/onComplete/onError),
 * which undici 7's Client calls directly: the newer controller interface is adapted onto it per
 * request, with a parsed header object we do not need.
 */
class RelayHandler implements Dispatcher.DispatchHandler {
  readonly #res: ServerResponse;
  readonly #onError: (error: Error) => void;
  #abort: ((error?: Error) => void) | undefined;
  #status = 0;
  #headers: string[] = [];
  #held: Buffer[] | undefined;
  #heldBytes = 0;
  #streaming = false;
  #done = false;

  constructor(res: ServerResponse, onError: (error: Error) => void) {
    this.#res = res;
    this.#onError = onError;
  }

  callerClosed(): void {
    if (!this.#done) this.#abort?.(new Error('caller went away'));
  }

  onConnect(abort: (error?: Error) => void): void {
    this.#abort = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (status < 200) return true; // 1xx: the final response follows
    this.#status = status;
    this.#headers = forwardableRawHeaders(rawHeaders);
    this.#resume = resume;
    return true;
  }

  #resume: () => void = () => undefined;

  onData(chunk: Buffer): boolean {
    if (!this.#streaming) {
      if (this.#heldBytes + chunk.length <= SINGLE_WRITE_LIMIT) {
        (this.#held ??= []).push(chunk);
        this.#heldBytes += chunk.length;
        return true;
      }
      this.#startStreaming();
    }
    if (this.#res.write(chunk)) return true;
    this.#res.once('drain', this.#resume);
    return false;
  }

  onComplete(): void {
    this.#done = true;
    const res = this.#res;
    if (res.destroyed) return;
    if (this.#streaming) {
      res.end();
      return;
    }
    res.writeHead(this.#status, this.#headers);
    const held = this.#held;
    res.end(held === undefined ? undefined : held.length === 1 ? held[0] : Buffer.concat(held, this.#heldBytes));
  }

  onError(error: Error): void {
    this.#done = true;
    if (this.#status === 0) this.#onError(error);
    else this.#res.destroy(error);
  }

  #startStreaming(): void {
    this.#streaming = true;
    this.#res.writeHead(this.#status, this.#headers);
    for (const chunk of this.#held ?? []) this.#res.write(chunk);
    this.#held = undefined;
  }
}
