import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessLogRecord, type AccessLogRecord } from '../access-log/format.js';
import { requestChannel, type ProxyRequestMessage } from '../diagnostics.js';

/** A line of a tap stream (NDJSON): a request, or how many were dropped because the reader was slow. */
export type TapEvent = ({ readonly type: 'request' } & AccessLogRecord) | { readonly type: 'dropped'; readonly count: number };

export interface TapFilter {
  /** Path prefix. */
  readonly path?: string;
  readonly method?: string;
  readonly direction?: 'inbound' | 'outbound';
}

/** Bytes a tap reader may leave unread before events are dropped for it (the proxy never waits for a tap reader). */
export const TAP_MAX_BUFFERED_BYTES = 256 * 1024;

class TapStream {
  readonly #res: ServerResponse;
  readonly #filter: TapFilter;
  #dropped = 0;

  constructor(res: ServerResponse, filter: TapFilter) {
    this.#res = res;
    this.#filter = filter;
  }

  offer(m: ProxyRequestMessage, now: number): void {
    const f = this.#filter;
    if (f.path !== undefined && !m.path.startsWith(f.path)) return;
    if (f.method !== undefined && m.method !== f.method) return;
    if (f.direction !== undefined && m.direction !== f.direction) return;
    if (this.#res.writableLength > TAP_MAX_BUFFERED_BYTES) {
      this.#dropped += 1;
      return;
    }
    if (this.#dropped > 0) {
      this.#res.write(`${JSON.stringify({ type: 'dropped', count: this.#dropped } satisfies TapEvent)}\n`);
      this.#dropped = 0;
    }
    this.#res.write(`${JSON.stringify({ type: 'request', ...accessLogRecord(m, now) } satisfies TapEvent)}\n`);
  }

  end(): void {
    this.#res.end();
  }
}

/**
 * Live requests of one sidecar for `GET /tap` on the admin port (like `linkerd viz tap`), as
 * NDJSON. Subscribes to the request channel only while someone taps; each reader gets a bounded
 * buffer and loses events (counted, then reported in a `dropped` line) rather than slowing the proxy.
 */
export class TapHub {
  readonly #sidecar: string;
  readonly #streams = new Set<TapStream>();

  constructor(sidecarId: string) {
    this.#sidecar = sidecarId;
  }

  readonly #onMessage = (message: unknown): void => {
    const m = message as ProxyRequestMessage;
    if (m.sidecar !== this.#sidecar) return;
    const now = Date.now();
    for (const s of this.#streams) s.offer(m, now);
  };

  serve(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const direction = query.get('direction');
    if (direction !== null && direction !== 'inbound' && direction !== 'outbound') {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`direction must be inbound or outbound, got "${direction}"\n`);
      return;
    }
    const filter: TapFilter = {
      ...(query.get('path') ? { path: query.get('path')! } : {}),
      ...(query.get('method') ? { method: query.get('method')!.toUpperCase() } : {}),
      ...(direction ? { direction } : {}),
    };
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    res.flushHeaders();
    const stream = new TapStream(res, filter);
    if (this.#streams.size === 0) requestChannel.subscribe(this.#onMessage);
    this.#streams.add(stream);
    const stop = () => {
      if (!this.#streams.delete(stream)) return;
      if (this.#streams.size === 0) requestChannel.unsubscribe(this.#onMessage);
    };
    req.socket.once('close', stop);
    res.once('close', stop);
  }

  /** Ends every tap stream (the sidecar is closing). */
  close(): void {
    for (const s of this.#streams) s.end();
    if (this.#streams.size > 0) requestChannel.unsubscribe(this.#onMessage);
    this.#streams.clear();
  }
}
