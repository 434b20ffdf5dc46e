import { api } from '../app/api.js';
import { routeHref } from '../app/route.js';
import { StateView } from '../primitives/StateView.js';
import { usePolled } from '../primitives/use-polled.js';
import { AnalysisCharts } from './AnalysisCharts.js';
import { EventHistory } from './EventHistory.js';
import { PhaseBadge } from './PhaseBadge.js';
import { RolloutControls } from './RolloutControls.js';
import { STRATEGY_LABELS } from './rollout-format.js';
import { StepLadder } from './StepLadder.js';
import { WeightsNow } from './WeightsNow.js';

export const DETAIL_REFRESH_MS = 1_500;

export function RolloutDetail({ namespace, name }: { namespace: string; name: string }) {
  const loaded = usePolled(() => api.rollouts.detail.query({ namespace, name }), DETAIL_REFRESH_MS, `${namespace}/${name}`);
  return (
    <section className="rollout-detail" aria-label={`Rollout ${name}`}>
      <p>
        <a href={routeHref('rollouts')}>← All rollouts</a>
      </p>
      <StateView loaded={loaded} what={`rollout ${namespace}/${name}`}>
        {({ status, events, ladder, thresholds }) => (
          <>
            <div className="pane-header">
              <h2>
                {status.name} <PhaseBadge phase={status.phase} />
              </h2>
              <RolloutControls status={status} onDone={loaded.refresh} />
            </div>
            <p className="muted">
              {STRATEGY_LABELS[status.strategy]} of {status.service} {status.from} → {status.to} · attempt {status.attempt} · failed checks{' '}
              {status.failedChecks} of {status.threshold}
            </p>
            <p className="rollout-message" role="status" aria-live="polite" data-phase={status.phase}>
              {status.message}
            </p>
            <div className="rollout-grid">
              <StepLadder status={status} ladder={ladder} />
              <WeightsNow status={status} />
            </div>
            <AnalysisCharts status={status} thresholds={thresholds} />
            <EventHistory events={events} />
          </>
        )}
      </StateView>
    </section>
  );
}
