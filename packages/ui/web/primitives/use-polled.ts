import { useCallback, useEffect, useRef, useState } from 'react';

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string; readonly serverAnswered: boolean }
  | { readonly status: 'ready'; readonly data: T; readonly stale: string | undefined };

/**
 * Loads `fetcher` now and every `intervalMs` (when given). A failed refresh keeps the last good
 * data on screen and says it is stale, rather than blanking a view an SRE is watching.
 */
export function usePolled<T>(fetcher: () => Promise<T>, intervalMs: number | undefined, key: string): Loaded<T> & { refresh(): void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const latest = useRef(fetcher);
  latest.current = fetcher;

  const load = useCallback(() => {
    latest.current().then(
      (data) => setState({ status: 'ready', data, stale: undefined }),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        // A tRPC error with a code is the server explaining itself; anything else is the network.
        const serverAnswered = typeof error === 'object' && error !== null && 'data' in error && Boolean(error.data);
        setState((previous) =>
          previous.status === 'ready' ? { ...previous, stale: message } : { status: 'error', message, serverAnswered },
        );
      },
    );
  }, []);

  useEffect(() => {
    setState({ status: 'loading' });
    load();
    if (intervalMs === undefined) return undefined;
    const timer = setInterval(load, intervalMs);
    return () => clearInterval(timer);
  }, [key, intervalMs, load]);

  return { ...state, refresh: load };
}
