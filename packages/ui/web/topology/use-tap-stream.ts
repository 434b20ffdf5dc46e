import { useEffect, useRef, useState } from 'react';
import { api } from '../app/api.js';
import { addTapEvents, type TapRequest, type TapRows } from './tap-rows.js';

/** How often the open "Live requests" list asks the dashboard server for new requests. */
export const TAP_POLL_MS = 1_000;

export interface TapTarget {
  readonly namespace: string;
  readonly service: string;
  readonly version?: string;
  /** Path prefix; must start with `/`. */
  readonly path?: string;
}

export interface TapStream extends TapRows {
  /** The sidecars tapped. */
  readonly instances: readonly string[];
  /** Why nothing is coming (no instance, no native mesh, server gone), in words. */
  readonly problem: string | undefined;
  readonly started: boolean;
}

const EMPTY: TapStream = { rows: [], dropped: 0, instances: [], problem: undefined, started: false };

/**
 * Polls the server's `tap` buffer for `target` every second while not paused and keeps the
 * newest rows `accept` lets through. A new target starts a new list; pausing keeps the list and
 * the cursor, so resuming shows what the server still holds from the pause.
 */
export function useTapStream(target: TapTarget, paused: boolean, accept: (r: TapRequest) => boolean): TapStream {
  const key = JSON.stringify([target.namespace, target.service, target.version, target.path]);
  const [stream, setStream] = useState<TapStream>(EMPTY);
  const cursor = useRef<number | undefined>(undefined);
  const filter = useRef(accept);
  filter.current = accept;

  useEffect(() => {
    setStream(EMPTY);
    cursor.current = undefined;
  }, [key]);

  useEffect(() => {
    if (paused) return undefined;
    let live = true;
    let inFlight = false;
    const poll = () => {
      // A slow answer must not let two polls read from the same cursor (the rows would repeat).
      if (inFlight) return;
      inFlight = true;
      const after = cursor.current;
      api.tap
        .query({ ...target, ...(after === undefined ? {} : { after }) })
        .then(
          (view) => {
            if (!live) return;
            // A tap the server closed while idle (a long pause) numbers from 0 again: `next` is the new cursor either way.
            cursor.current = view.next;
            setStream((s) => ({
              ...addTapEvents(s, view.events, filter.current),
              instances: view.instances,
              problem: view.problem,
              started: true,
            }));
          },
          (error: unknown) => {
            if (live) setStream((s) => ({ ...s, problem: error instanceof Error ? error.message : String(error), started: true }));
          },
        )
        .finally(() => (inFlight = false));
    };
    poll();
    const timer = setInterval(poll, TAP_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
    // `target` is captured through `key`, which holds all its fields.
  }, [key, paused]);

  return stream;
}
