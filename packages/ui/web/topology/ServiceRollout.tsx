import { api } from '../app/api.js';
import { routeHref } from '../app/route.js';
import { usePolled } from '../primitives/use-polled.js';
import { isActive } from '../../src/server/rollouts/rollout-phase.js';
import { PhaseBadge } from '../rollouts/PhaseBadge.js';
import { rolloutKey, trafficText } from '../rollouts/rollout-format.js';

/** A running rollout of the service, linked to its live view; otherwise a link that starts the wizard on it. */
export function ServiceRollout({ namespace, service }: { namespace: string; service: string }) {
  const loaded = usePolled(() => api.rollouts.list.query(), 3_000, `rollouts-of-${namespace}/${service}`);
  const running =
    loaded.status === 'ready'
      ? loaded.data.find((r) => r.namespace === namespace && r.service === service && isActive(r.phase))
      : undefined;
  if (loaded.status !== 'ready') {
    // Loading, or the control plane cannot say: claim nothing about rollouts.
    return loaded.status === 'error' ? (
      <>
        <h3>Rollout</h3>
        <p className="muted">Rollouts unknown: {loaded.message}</p>
      </>
    ) : null;
  }
  return (
    <>
      <h3>Rollout</h3>
      {running ? (
        <p className="service-rollout">
          <a href={routeHref('rollouts', { rollout: rolloutKey(running) })}>
            {running.name}: {running.from} → {running.to}
          </a>{' '}
          <PhaseBadge phase={running.phase} /> <span className="muted">{trafficText(running.traffic, running.from, running.to)}</span>
        </p>
      ) : (
        <p className="muted">
          No rollout of {service} is running.{' '}
          <a href={routeHref('rollouts', { new: '1', page: 'versions', service: `${namespace}/${service}` })}>Start one</a>
        </p>
      )}
    </>
  );
}
