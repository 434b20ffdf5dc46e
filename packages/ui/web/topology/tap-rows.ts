import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../src/server/router.js';

/** One line of a sidecar's tap stream, as the dashboard's `tap` procedure returns it. */
export type TapEventView = inferRouterOutputs<AppRouter>['tap']['events'][number];
export type TapRequest = Extract<TapEventView, { type: 'request' }>;

/** The "Live requests" list keeps this many rows: enough to read, bounded for the browser. */
export const LIVE_ROWS = 200;

export interface TapRows {
  /** Newest first, at most `max`. */
  readonly rows: readonly TapRequest[];
  /** Requests the sidecars dropped because a reader was slow, so far. */
  readonly dropped: number;
}

/**
 * Adds a poll's events (oldest first, as the server sends them) to the list shown (newest first),
 * keeping those `accept` lets through and the newest `max`.
 */
export function addTapEvents(
  shown: TapRows,
  events: readonly TapEventView[],
  accept: (request: TapRequest) => boolean,
  max = LIVE_ROWS,
): TapRows {
  let dropped = shown.dropped;
  const fresh: TapRequest[] = [];
  for (const event of events) {
    if (event.type === 'dropped') dropped += event.count;
    else if (accept(event)) fresh.push(event);
  }
  if (fresh.length === 0 && dropped === shown.dropped) return shown;
  return { rows: [...fresh.reverse(), ...shown.rows].slice(0, max), dropped };
}
