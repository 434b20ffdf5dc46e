import type { RolloutEvent } from '@anymesh/core';
import { formatTime } from './rollout-format.js';

/** Every transition, newest first, with its reason and the measured values against their bounds. */
export function EventHistory({ events }: { events: readonly RolloutEvent[] }) {
  return (
    <section aria-label="Event history">
      <h3>Event history</h3>
      {events.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <ol className="event-history" reversed>
          {[...events].reverse().map((e) => (
            <li key={e.seq} data-kind={e.kind} className={`event event-${e.kind}`}>
              <time dateTime={new Date(e.at).toISOString()}>{formatTime(e.at)}</time> <strong>{e.kind}</strong>{' '}
              <span className="muted">
                step {e.step + 1} · attempt {e.attempt}
              </span>
              <div>{e.reason}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
