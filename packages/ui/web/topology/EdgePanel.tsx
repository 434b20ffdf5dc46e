import type { EdgeView } from '../../src/server/api-types.js';
import { formatMs, formatPercent, formatRps } from '../primitives/format.js';
import { HealthBadge } from '../primitives/HealthBadge.js';

const short = (id: string) => id.split('/').at(-1) ?? id;

export function EdgePanel({ edge }: { edge: EdgeView }) {
  const s = edge.stats;
  return (
    <section className="side-panel" aria-label={`Calls from ${short(edge.source)} to ${short(edge.target)}`}>
      <h2>
        {short(edge.source)} → {short(edge.target)} <HealthBadge health={edge.health} />
      </h2>
      {!s ? (
        <p className="muted">
          {edge.origin === 'declared'
            ? 'Declared by the policies (workload upstreams or access rules); no traffic observed yet.'
            : 'No requests in the last window.'}
        </p>
      ) : (
        <>
          <dl className="stats">
            <dt>Rate</dt>
            <dd>{formatRps(s.rps)}</dd>
            <dt>Success</dt>
            <dd>{formatPercent(s.successPercent)}</dd>
            <dt>p50</dt>
            <dd>{formatMs(s.p50Ms)}</dd>
            <dt>p99</dt>
            <dd>{formatMs(s.p99Ms)}</dd>
          </dl>
          <h3>By destination version</h3>
          <ul>
            {Object.entries(s.byVersion).map(([v, rps]) => (
              <li key={v}>
                {v || 'unversioned'}: {formatRps(rps)}
              </li>
            ))}
          </ul>
          <h3>Error responses</h3>
          {s.errors.length === 0 ? (
            <p className="muted">None in the last window.</p>
          ) : (
            <ul>
              {s.errors.map((e) => (
                <li key={e.code}>
                  {e.code === '0' ? 'connection failure' : `HTTP ${e.code}`}: {formatRps(e.rps)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
