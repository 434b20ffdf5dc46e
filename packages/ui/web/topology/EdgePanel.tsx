import type { EdgeView, ServiceNodeView, Topology } from '../../src/server/api-types.js';
import { formatMs, formatPercent, formatRps } from '../primitives/format.js';
import { HealthBadge } from '../primitives/HealthBadge.js';
import { LiveRequests } from './LiveRequests.js';
import { RecentErrors } from './RecentErrors.js';
import { NoLiveRequests } from './ServicePanel.js';

const short = (id: string) => id.split('/').at(-1) ?? id;
/** The server's node for callers the sidecars cannot name (OUTSIDE_ID in build-topology.ts); they tap them as `unknown`. */
const OUTSIDE_ID = 'outside/outside the mesh';

/** One edge's figures, its recent errors and its live requests (the target's sidecars, filtered to this caller). */
export function EdgePanel({ edge, target, topology }: { edge: EdgeView; target: ServiceNodeView | undefined; topology: Topology }) {
  const s = edge.stats;
  const caller = edge.source === OUTSIDE_ID ? 'unknown' : short(edge.source);
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
        </>
      )}
      <RecentErrors service={edge.target} source={edge.source} fromMetrics={s?.errors ?? []} windowSeconds={topology.live.windowSeconds} />
      {topology.live.mode === 'live' && target ? (
        <LiveRequests
          key={edge.id}
          namespace={target.namespace}
          service={target.name}
          versions={target.versions.map((v) => v.name)}
          from={caller}
        />
      ) : (
        <NoLiveRequests />
      )}
    </section>
  );
}
