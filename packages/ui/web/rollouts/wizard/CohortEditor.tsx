import type { Diagnostic } from '@anymesh/core';
import type { DraftCohort } from '../../../src/server/api-types.js';
import { FieldDiagnostics, fieldProps } from './FieldDiagnostics.js';

/** A/B: who reaches the new version (any one condition is enough), and for how many checks. */
export function CohortEditor(props: {
  cohort: readonly DraftCohort[];
  iterations: string;
  diagnostics: readonly Diagnostic[];
  onChange(cohort: DraftCohort[], iterations: string): void;
}) {
  const { cohort, iterations, diagnostics, onChange } = props;
  const set = (i: number, change: Partial<DraftCohort>) =>
    onChange(
      cohort.map((c, j) => (j === i ? { ...c, ...change } : c)),
      iterations,
    );
  return (
    <fieldset className="wizard-page">
      <legend>The cohort that reaches the new version</legend>
      <ul className="cohort-list">
        {cohort.map((c, i) => (
          <li key={i}>
            <select
              aria-label={`Condition ${i + 1} kind`}
              value={c.kind}
              onChange={(e) => set(i, { kind: e.target.value as DraftCohort['kind'] })}
            >
              <option value="header">header</option>
              <option value="cookie">cookie</option>
            </select>
            <input
              {...fieldProps(`cohort[${i}]`, diagnostics)}
              aria-label={`Condition ${i + 1} name`}
              value={c.name}
              onChange={(e) => set(i, { name: e.target.value })}
            />
            =
            <input aria-label={`Condition ${i + 1} value`} value={c.value} onChange={(e) => set(i, { value: e.target.value })} />
            <button
              type="button"
              aria-label={`Remove condition ${i + 1}`}
              onClick={() =>
                onChange(
                  cohort.filter((_, j) => j !== i),
                  iterations,
                )
              }
            >
              ✕
            </button>
            <FieldDiagnostics field={`cohort[${i}]`} diagnostics={diagnostics} />
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => onChange([...cohort, { kind: 'header', name: '', value: '' }], iterations)}>
        Add a condition
      </button>
      <FieldDiagnostics field="cohort" diagnostics={diagnostics} />
      <div className="field">
        <label htmlFor="field-iterations">Checks before promotion</label>
        <input
          {...fieldProps('iterations', diagnostics)}
          inputMode="numeric"
          value={iterations}
          onChange={(e) => onChange([...cohort], e.target.value)}
        />
        <FieldDiagnostics field="iterations" diagnostics={diagnostics} />
      </div>
    </fieldset>
  );
}
