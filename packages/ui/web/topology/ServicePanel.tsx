import type { ServiceNodeView, Topology } from '../../src/server/api-types.js';
import { routeHref } from '../app/route.js';
import { formatPercent, formatRps } from '../primitives/format.js';
import { HealthBadge } from '../primitives/HealthBadge.js';

/** Versions with their instances, the configured split next to the observed one, policies, errors. */
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
      <h3>Policies that apply</h3>
      <ul className="policy-refs">
        {service.policies.map((p) => (
          <li key={p}>
            <a href={routeHref('policies', { object: p })}>{p}</a>
          </li>
        ))}
      </ul>
      <h3>Recent errors</h3>
      {errors.length === 0 ? (
        <p className="muted">No error responses in the last window.</p>
      ) : (
        <ul>
          {errors.map((e) => (
            <li key={`${e.from}-${e.code}`}>
              {e.code === '0' ? 'connection failure' : `HTTP ${e.code}`} from {e.from}: {formatRps(e.rps)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
