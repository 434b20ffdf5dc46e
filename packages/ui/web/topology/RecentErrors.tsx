import type { ErrorCount, RecentErrorsView } from '../../src/server/api-types.js';
import { api } from '../app/api.js';
import { formatRps } from '../primitives/format.js';
import { StateView } from '../primitives/StateView.js';
import { usePolled } from '../primitives/use-polled.js';
import { callText, codeClass, statusText, timeOfDay } from './request-format.js';

/** Error responses counted by the metrics, per code (and caller in the service panel): what is left without a tap. */
export interface MetricErrors extends ErrorCount {
  readonly from?: string;
}

export interface RecentErrorsProps {
  /** The service, `namespace/name`. */
  readonly service: string;
  /** Only calls from this caller (a topology node id): the edge panel's filter. */
  readonly source?: string;
  readonly fromMetrics: readonly MetricErrors[];
  readonly windowSeconds: number;
}

export const RECENT_ERRORS_REFRESH_MS = 3_000;
const SHOWN = 50;

/**
 * The latest failed requests into a service, from the server's per-service buffer fed by the
 * sidecars' tap streams; without a native mesh, the error rates from the metrics. Says which.
 */
export function RecentErrors(props: RecentErrorsProps) {
  const { service, source } = props;
  const loaded = usePolled(
    () => api.recentErrors.query({ service, limit: SHOWN, ...(source ? { source } : {}) }),
    RECENT_ERRORS_REFRESH_MS,
    `${service}>${source ?? ''}`,
  );
  return (
    <section className="recent-errors" aria-label="Recent errors">
      <h3>Recent errors</h3>
      <StateView loaded={loaded} what="recent errors">
        {(view) => (view.feed.mode === 'tap' ? <TappedErrors view={view} /> : <MetricErrorList {...props} problem={view.feed.problem} />)}
      </StateView>
    </section>
  );
}

function TappedErrors({ view }: { view: RecentErrorsView }) {
  const { feed, rows } = view;
  const since = feed.since ? new Date(feed.since).toLocaleTimeString() : 'the dashboard started';
  return (
    <>
      <p className="source-note muted">
        From the sidecars&apos; live request streams since {since} ({feed.tapping} of {feed.sidecars} sidecars streaming
        {feed.dropped > 0 ? `, ${feed.dropped} requests dropped by them` : ''}); the newest {SHOWN} are listed.
      </p>
      {feed.problem && <p className="banner banner-warn">{feed.problem}</p>}
      {rows.length === 0 ? (
        <p className="muted">No failed request since {since}.</p>
      ) : (
        <div className="request-table">
          <table aria-label="Failed requests, newest first">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Code</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.seq} data-code={r.code} data-destination-version={r.destinationVersion}>
                  <td>{timeOfDay(r.time)}</td>
                  <td className={codeClass(r.code)}>
                    {statusText(r.code)}
                    {r.reason && <span className="reason">{r.reason}</span>}
                    {r.direction === 'outbound' && <span className="reason">by {r.source}&apos;s sidecar</span>}
                  </td>
                  <td className="request-cell">
                    {r.method} {r.path}
                    <span className="muted">
                      {callText(r.source, r.sourceVersion, r.destination, r.destinationVersion)}
                      {r.retries > 0 ? ` · ${r.retries} retries` : ''}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function MetricErrorList({ fromMetrics, windowSeconds, problem }: RecentErrorsProps & { problem: string | undefined }) {
  return (
    <>
      <p className="source-note muted">
        From the sidecars&apos; metrics: error responses per second by code over the last {windowSeconds || '–'} s, without request details
        {problem ? ` (${problem})` : ''}.
      </p>
      {fromMetrics.length === 0 ? (
        <p className="muted">No error responses in the last window.</p>
      ) : (
        <ul>
          {fromMetrics.map((e) => (
            <li key={`${e.from ?? ''}-${e.code}`}>
              {e.code === '0' ? 'connection failure' : `HTTP ${e.code}`}
              {e.from ? ` from ${e.from}` : ''}: {formatRps(e.rps)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
