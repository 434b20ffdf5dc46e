import type { ReactNode } from 'react';
import type { Loaded } from './use-polled.js';

/** Renders loading and error states with what to do next; the ready state is the caller's. */
export function StateView<T>({ loaded, what, children }: { loaded: Loaded<T>; what: string; children: (data: T) => ReactNode }) {
  if (loaded.status === 'loading') {
    return (
      <p className="state" role="status">
        Loading {what}…
      </p>
    );
  }
  if (loaded.status === 'error') {
    return (
      <div className="state state-error" role="alert">
        <p>
          Could not load {what}: {loaded.message}
        </p>
        {!loaded.serverAnswered && (
          <p>Check that the dashboard server is still running (it is started by `anymesh dashboard` or `anymesh up`), then reload.</p>
        )}
      </div>
    );
  }
  return (
    <>
      {loaded.stale && (
        <p className="banner banner-warn" role="status">
          Showing the last good {what}; refreshing failed: {loaded.stale}
        </p>
      )}
      {children(loaded.data)}
    </>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="state state-empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}
