import type { Diagnostic } from '@anymesh/core';
import type { DraftStep } from '../../../src/server/api-types.js';
import { FieldDiagnostics, fieldProps } from './FieldDiagnostics.js';
import { STEP_PRESETS, stepsOf } from './wizard-model.js';

const PAUSES: Record<DraftStep['pause'], string> = { none: 'go on', timed: 'wait', manual: 'wait for promote' };

/** Presets, then the ladder itself: one rung per step, its bar as wide as its weight. */
export function CanarySteps(props: {
  steps: readonly DraftStep[];
  to: string;
  diagnostics: readonly Diagnostic[];
  onChange(steps: DraftStep[]): void;
}) {
  const { steps, to, diagnostics, onChange } = props;
  const set = (i: number, change: Partial<DraftStep>) => onChange(steps.map((s, j) => (j === i ? { ...s, ...change } : s)));
  return (
    <fieldset className="wizard-page">
      <legend>Canary steps: the share of {to || 'the new version'} at each step</legend>
      <div role="group" aria-label="Presets" className="actions">
        {STEP_PRESETS.map((p) => (
          <button key={p.label} type="button" onClick={() => onChange(stepsOf(p.weights))}>
            {p.label}
          </button>
        ))}
      </div>
      <ol className="ladder-editor">
        {steps.map((s, i) => {
          const weight = Number(s.weight);
          return (
            <li key={i} className="ladder-rung">
              <label htmlFor={`field-steps_${i}_`}>Step {i + 1}</label>
              <input
                {...fieldProps(`steps[${i}]`, diagnostics)}
                className="weight-input"
                inputMode="numeric"
                value={String(s.weight)}
                onChange={(e) => set(i, { weight: e.target.value })}
                aria-label={`Weight of step ${i + 1} (percent)`}
              />
              %
              <span className="rung-bar" aria-hidden="true">
                <span style={{ width: `${Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 100) : 0}%` }} />
              </span>
              <select
                aria-label={`After step ${i + 1}`}
                value={s.pause}
                onChange={(e) => set(i, { pause: e.target.value as DraftStep['pause'] })}
              >
                {Object.entries(PAUSES).map(([k, label]) => (
                  <option key={k} value={k}>
                    then {label}
                  </option>
                ))}
              </select>
              {s.pause === 'timed' && (
                <input
                  aria-label={`Pause after step ${i + 1}`}
                  placeholder="1m"
                  value={s.duration}
                  onChange={(e) => set(i, { duration: e.target.value })}
                  size={6}
                />
              )}
              <button type="button" aria-label={`Remove step ${i + 1}`} onClick={() => onChange(steps.filter((_, j) => j !== i))}>
                ✕
              </button>
              <FieldDiagnostics field={`steps[${i}]`} diagnostics={diagnostics} />
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        onClick={() =>
          onChange([...steps, { weight: Math.min(100, Number(steps.at(-1)?.weight ?? 0) + 10 || 10), pause: 'none', duration: '' }])
        }
      >
        Add a step
      </button>
      <p className="muted">After the last step passes its analysis, {to || 'the new version'} gets 100 %.</p>
      <FieldDiagnostics field="steps" diagnostics={diagnostics} />
    </fieldset>
  );
}
