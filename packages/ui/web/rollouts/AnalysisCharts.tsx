import type { MetricName, RolloutStatus } from '@anymesh/core';
import type { RolloutDetailView } from '../../src/server/api-types.js';
import { AnalysisChart } from './AnalysisChart.js';

const TITLES: Record<MetricName, string> = {
  'success-rate': 'Success rate',
  'latency-p99': 'Latency p99',
  'latency-p50': 'Latency p50',
  'request-rate': 'Request rate',
};

/** Success rate and latency always (the two that decide most rollouts), plus any other metric the rollout checks. */
export function AnalysisCharts({ status, thresholds }: { status: RolloutStatus; thresholds: RolloutDetailView['thresholds'] }) {
  const checked = thresholds.map((t) => t.metric);
  const latency: MetricName = checked.includes('latency-p50') && !checked.includes('latency-p99') ? 'latency-p50' : 'latency-p99';
  const metrics = [...new Set<MetricName>(['success-rate', latency, ...checked])];
  return (
    <section aria-label="Analysis">
      <h3>Analysis, one point per interval</h3>
      {status.analysis.length === 0 && <p className="muted">No interval analysed yet in this attempt.</p>}
      <div className="charts">
        {metrics.map((m) => {
          const t = thresholds.find((x) => x.metric === m);
          return (
            <AnalysisChart
              key={m}
              title={TITLES[m]}
              metric={m}
              analysis={status.analysis}
              from={status.from}
              to={status.to}
              bounds={{ min: t?.min, max: t?.max }}
            />
          );
        })}
      </div>
    </section>
  );
}
