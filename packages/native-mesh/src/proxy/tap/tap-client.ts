import { request, type IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import type { TapEvent, TapFilter } from './tap-hub.js';

/** One sidecar to tap: its instance id and admin base URL (e.g. `http://127.0.0.1:15090`). */
export interface TapTarget {
  readonly id: string;
  readonly adminUrl: string;
}

export interface TapHandlers {
  onEvent(event: TapEvent, from: TapTarget): void;
  /** A sidecar's stream could not be opened or broke; the others go on. */
  onError?(error: Error, from: TapTarget): void;
  /** A sidecar's stream ended (e.g. the sidecar stopped). */
  onEnd?(from: TapTarget): void;
}

export interface TapSession {
  close(): void;
}

/**
 * Opens `GET /tap` on each target's admin port and merges the NDJSON streams as they arrive
 * (`anymesh tap` and the dashboard use it). Lines that are not JSON are skipped.
 */
export function openTap(targets: readonly TapTarget[], filter: TapFilter, handlers: TapHandlers): TapSession {
  const query = new URLSearchParams();
  if (filter.path !== undefined) query.set('path', filter.path);
  if (filter.method !== undefined) query.set('method', filter.method);
  if (filter.direction !== undefined) query.set('direction', filter.direction);
  const qs = query.size > 0 ? `?${query.toString()}` : '';
  let closed = false;
  const requests = targets.map((target) => {
    const req = request(`${target.adminUrl.replace(/\/+$/, '')}/tap${qs}`, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        handlers.onError?.(new Error(`${target.id} answered ${res.statusCode} to GET /tap`), target);
        return;
      }
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      // readline re-emits the response's errors (e.g. `aborted` when the sidecar stops).
      lines.on('error', (error) => {
        if (!closed) handlers.onError?.(error, target);
      });
      lines.on('line', (line) => {
        let event: TapEvent;
        try {
          event = JSON.parse(line) as TapEvent;
        } catch {
          return;
        }
        handlers.onEvent(event, target);
      });
      lines.on('close', () => {
        if (!closed) handlers.onEnd?.(target);
      });
    });
    req.on('error', (error) => {
      if (!closed) handlers.onError?.(error, target);
    });
    req.end();
    return req;
  });
  return {
    close() {
      closed = true;
      for (const r of requests) r.destroy();
    },
  };
}
