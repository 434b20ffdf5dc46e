import { useCallback, useId, useState, type FormEvent } from 'react';
import { callText, codeClass, statusText, timeOfDay } from './request-format.js';
import { LIVE_ROWS, type TapRequest } from './tap-rows.js';
import { useTapStream } from './use-tap-stream.js';

export interface LiveRequestsProps {
  readonly namespace: string;
  readonly service: string;
  readonly versions: readonly string[];
  /** Only calls from this caller (bare name, as sidecars label it): the edge panel's filter. */
  readonly from?: string;
}

const EVERY_REQUEST = (): boolean => true;

/**
 * The requests going through the service's sidecars now (their tap streams, polled every second
 * from the dashboard server), with pause, a version and a path filter, and the newest 200 kept.
 */
export function LiveRequests({ namespace, service, versions, from }: LiveRequestsProps) {
  const [paused, setPaused] = useState(false);
  const [version, setVersion] = useState('');
  const [pathDraft, setPathDraft] = useState('');
  const [path, setPath] = useState('');
  const ids = useId();
  const accept = useCallback(
    (r: TapRequest) => r.direction === 'inbound' && (r.source === from || (from === 'unknown' && r.source === '')),
    [from],
  );
  const stream = useTapStream(
    { namespace, service, ...(version ? { version } : {}), ...(path ? { path } : {}) },
    paused,
    from === undefined ? EVERY_REQUEST : accept,
  );
  const applyPath = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = pathDraft.trim();
    setPath(trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`);
  };

  return (
    <section className="live-requests" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Live requests</h3>
      <form className="tap-controls" onSubmit={applyPath}>
        <button type="button" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <label>
          Version
          <select value={version} onChange={(e) => setVersion(e.target.value)}>
            <option value="">all</option>
            {versions.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          Path prefix
          <input type="search" value={pathDraft} onChange={(e) => setPathDraft(e.target.value)} placeholder="/reviews" />
        </label>
        <button type="submit">Filter</button>
      </form>
      {/* Not a live region: it changes every second and would drown a screen reader; Pause says its state by aria-pressed. */}
      <p className="muted">{liveStatus(stream.started, paused, stream.rows.length, stream.instances, stream.dropped, from)}</p>
      {stream.problem && <p className="banner banner-warn">{stream.problem}</p>}
      {stream.rows.length > 0 && (
        <div className="request-table">
          <table aria-label={`Live requests of ${service}`}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Code</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {stream.rows.map((r) => (
                <tr key={`${r.sidecar}-${r.seq}-${r.time}`} data-code={r.code}>
                  <td>{timeOfDay(r.time)}</td>
                  <td className={codeClass(r.code)}>
                    {statusText(r.code)}
                    {r.reason && <span className="reason">{r.reason}</span>}
                  </td>
                  <td className="request-cell">
                    {r.method} {r.path}
                    <span className="muted">
                      {callText(r.source, r.source_version, r.destination, r.destination_version)} · {Math.round(r.duration_ms)} ms
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function liveStatus(
  started: boolean,
  paused: boolean,
  shown: number,
  instances: readonly string[],
  dropped: number,
  from: string | undefined,
): string {
  if (!started) return 'Opening the tap…';
  const which = from === undefined ? '' : ` from ${from === 'unknown' ? 'outside the mesh' : from}`;
  const source = instances.length > 0 ? ` from ${instances.join(', ')}` : '';
  const lost = dropped > 0 ? ` ${dropped} dropped by the sidecars (the dashboard read too slowly).` : '';
  const state = paused ? 'Paused' : 'Streaming';
  return `${state}: ${shown} request${shown === 1 ? '' : 's'}${which} shown (newest ${LIVE_ROWS} kept)${source}.${lost}`;
}
