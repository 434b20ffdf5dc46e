import { api } from '../app/api.js';
import { routeHref } from '../app/route.js';
import { EmptyState, StateView } from '../primitives/StateView.js';
import { usePolled } from '../primitives/use-polled.js';
import { PhaseBadge } from './PhaseBadge.js';
import { rolloutKey, STRATEGY_LABELS, trafficText } from './rollout-format.js';

export const ROLLOUTS_REFRESH_MS = 2_000;

export function RolloutList() {
  const loaded = usePolled(() => api.rollouts.list.query(), ROLLOUTS_REFRESH_MS, 'rollouts');
  return (
    <section className="rollouts" aria-label="Rollouts">
      <div className="pane-header">
        <h2>Rollouts</h2>
        <a className="button-link" href={routeHref('rollouts', { new: '1' })}>
          New rollout
        </a>
      </div>
      <StateView loaded={loaded} what="the rollouts">
        {(rollouts) =>
          rollouts.length === 0 ? (
            <EmptyState title="No rollouts yet">
              <p>
                Start one with <a href={routeHref('rollouts', { new: '1' })}>the wizard</a>, or from a file with{' '}
                <code>anymesh rollout start -f rollout.yaml</code>.
              </p>
            </EmptyState>
          ) : (
            <div className="table-scroll">
              <table className="rollout-list">
                <thead>
                  <tr>
                    <th scope="col">Rollout</th>
                    <th scope="col">Service</th>
                    <th scope="col">Strategy</th>
                    <th scope="col">Phase</th>
                    <th scope="col">Step</th>
                    <th scope="col">Traffic now</th>
                  </tr>
                </thead>
                <tbody>
                  {rollouts.map((r) => (
                    <tr key={rolloutKey(r)} data-rollout={rolloutKey(r)}>
                      <th scope="row">
                        <a href={routeHref('rollouts', { rollout: rolloutKey(r) })}>{r.name}</a>
                      </th>
                      <td>
                        {r.service} {r.from} → {r.to}
                      </td>
                      <td>{STRATEGY_LABELS[r.strategy]}</td>
                      <td>
                        <PhaseBadge phase={r.phase} />
                      </td>
                      <td>
                        {Math.min(r.step + 1, r.steps)} of {r.steps}
                      </td>
                      <td>{trafficText(r.traffic, r.from, r.to)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </StateView>
    </section>
  );
}
