import type { ServiceNodeView, Topology } from '../../src/server/api-types.js';
import { routeHref } from '../app/route.js';
import { formatPercent, formatRps } from '../primitives/format.js';
import { HealthBadge } from '../primitives/HealthBadge.js';
import { LiveRequests } from './LiveRequests.js';
import { RecentErrors } from './RecentErrors.js';
import { ServiceRollout } from './ServiceRollout.js';

/** Versions with their instances, the configured split next to the observed one, policies, recent errors, live requests. */
export function ServicePanel({ service, topology }: { service: ServiceNodeView; topology: Topology }) {
  const inbound = topology.edges.filter((e) => e.target === service.id);
  const errors = inbound.flatMap((e) => (e.stats?.errors ?? []).map((err) => ({ ...err, from: e.source.split('/').at(-1) ?? e.source })));
  return (
    <section className="side-panel" aria-label={`Service ${service.name}`}>
      <h2>
        {service.name} <HealthBadge health={service.health} />
      </h2>
      <p className="muted">
        {service.namespace} · {formatRps(service.inboundRps)} in
      </p>
      <h3>Versions</h3>
      <table className="versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Instances up</th>
            <th scope="col">Observed share</th>
          </tr>
        </thead>
        <tbody>
          {service.versions.map((v) => (
            <tr key={v.name} data-version={v.name}>
              <th scope="row">{v.name}</th>
              <td>
                {v.instances.filter((i) => i.up).length}/{v.instances.length}
              </td>
              <td>{formatPercent(v.observedPercent)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Configured split</h3>
      {service.splits.length === 0 ? (
        <p className="muted">No TrafficRoute splits this service: requests go to all versions.</p>
      ) : (
        <ul className="splits">
          {service.splits.map((s) => (
            <li key={s.rule}>
              <strong>{s.rule}</strong> <span className="muted">({s.when})</span>:{' '}
              {s.weights.map((w) => `${w.version} ${formatPercent(w.percent)}`).join(' · ')}
            </li>
          ))}
        </ul>
      )}
      {topology.live.mode === 'live' && <ServiceRollout key={service.id} namespace={service.namespace} service={service.name} />}
      <h3>Policies that apply</h3>
      <ul className="policy-refs">
        {service.policies.map((p) => (
          <li key={p}>
            <a href={routeHref('policies', { object: p })}>{p}</a>
          </li>
        ))}
      </ul>
      <RecentErrors service={service.id} fromMetrics={errors} windowSeconds={topology.live.windowSeconds} />
      {topology.live.mode === 'live' ? (
        <LiveRequests
          key={service.id}
          namespace={service.namespace}
          service={service.name}
          versions={service.versions.map((v) => v.name)}
        />
      ) : (
        <NoLiveRequests />
      )}
    </section>
  );
}

/** Without a native mesh there are no sidecars to tap. */
export function NoLiveRequests() {
  return (
    <>
      <h3>Live requests</h3>
      <p className="muted">
        Live requests come from the native mesh&apos;s sidecars: run <code>anymesh up</code> (or{' '}
        <code>anymesh dashboard --control-plane</code> <em>url</em>) to see them.
      </p>
    </>
  );
}
