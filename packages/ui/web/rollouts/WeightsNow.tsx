import type { RolloutStatus } from '@anymesh/core';
import { trafficText } from './rollout-format.js';

/** The traffic plan in force, as a bar for weights and in words for every kind. */
export function WeightsNow({ status }: { status: RolloutStatus }) {
  const plan = status.traffic;
  return (
    <section className="weights-now" aria-label="Traffic now">
      <h3>Traffic now</h3>
      {plan.kind === 'weights' && (
        <div className="weight-bar" aria-hidden="true">
          <span className="weight-from" style={{ width: `${plan.from}%` }} />
          <span className="weight-to" style={{ width: `${plan.to}%` }} />
        </div>
      )}
      <p data-testid="traffic-now">{trafficText(plan, status.from, status.to)}</p>
    </section>
  );
}
