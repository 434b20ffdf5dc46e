import type { Diagnostic, MetricName } from '@anymesh/core';
import type { DraftMetric, RolloutDraft, WizardVersion } from '../../../src/server/api-types.js';
import { formatMs, formatPercent } from '../../primitives/format.js';
import { FieldDiagnostics, fieldProps } from './FieldDiagnostics.js';

const METRICS: Record<MetricName, string> = {
  'success-rate': 'success rate (%, min)',
  'latency-p99': 'latency p99 (max, e.g. 500ms)',
  'latency-p50': 'latency p50 (max, e.g. 100ms)',
  'request-rate': 'request rate (req/s, min)',
};

function current(metric: MetricName, stable: WizardVersion | undefined): string {
  const v = stable?.current[metric];
  if (v === undefined) return 'no data';
  return metric === 'success-rate' ? formatPercent(v) : metric === 'request-rate' ? `${v.toFixed(1)} req/s` : formatMs(v);
}

type AnalysisFields = Pick<RolloutDraft, 'interval' | 'threshold' | 'minRequests' | 'metrics'>;

/** The checks with their bounds; beside each, what the stable version does now, to pick a bound it meets. */
export function AnalysisPage(props: {
  value: AnalysisFields;
  stable: WizardVersion | undefined;
  diagnostics: readonly Diagnostic[];
  onChange(change: Partial<AnalysisFields>): void;
}) {
  const { value, stable, diagnostics, onChange } = props;
  const setMetric = (i: number, change: Partial<DraftMetric>) =>
    onChange({ metrics: value.metrics.map((m, j) => (j === i ? { ...m, ...change } : m)) });
  const text = (field: 'interval' | 'threshold' | 'minRequests', label: string) => (
    <div className="field">
      <label htmlFor={`field-${field}`}>{label}</label>
      <input {...fieldProps(field, diagnostics)} value={value[field]} onChange={(e) => onChange({ [field]: e.target.value })} size={8} />
      <FieldDiagnostics field={field} diagnostics={diagnostics} />
    </div>
  );
  return (
    <fieldset className="wizard-page">
      <legend>Analysis of the new version, every interval</legend>
      <div className="field-row">
        {text('interval', 'Interval')}
        {text('threshold', 'Failed checks before rollback')}
        {text('minRequests', 'Requests needed per interval (fewer is no data)')}
      </div>
      <div className="table-scroll">
        <table className="metric-table">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Min</th>
              <th scope="col">Max</th>
              <th scope="col">{stable ? `${stable.name} now` : 'Stable now'}</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {value.metrics.map((m, i) => (
              <tr key={i} data-metric={m.name}>
                <td>
                  <select
                    aria-label={`Metric ${i + 1}`}
                    value={m.name}
                    onChange={(e) => setMetric(i, { name: e.target.value as MetricName })}
                  >
                    {Object.entries(METRICS).map(([k, label]) => (
                      <option key={k} value={k}>
                        {label}
                      </option>
                    ))}
                  </select>
                  <FieldDiagnostics field={`metrics[${i}]`} diagnostics={diagnostics} />
                </td>
                <td>
                  <input
                    {...fieldProps(`metrics[${i}]`, diagnostics)}
                    aria-label={`Minimum of ${m.name}`}
                    value={m.min}
                    onChange={(e) => setMetric(i, { min: e.target.value })}
                    size={7}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Maximum of ${m.name}`}
                    value={m.max}
                    onChange={(e) => setMetric(i, { max: e.target.value })}
                    size={7}
                  />
                </td>
                <td className="stable-now">{current(m.name, stable)}</td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove ${m.name}`}
                    onClick={() => onChange({ metrics: value.metrics.filter((_, j) => j !== i) })}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" onClick={() => onChange({ metrics: [...value.metrics, { name: 'latency-p50', min: '', max: '100ms' }] })}>
        Add a metric
      </button>
      <FieldDiagnostics field="metrics" diagnostics={diagnostics} />
    </fieldset>
  );
}
