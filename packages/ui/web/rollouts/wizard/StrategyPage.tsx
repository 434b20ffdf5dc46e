import type { Diagnostic, RolloutStrategyKind } from '@anymesh/core';
import { FieldDiagnostics } from './FieldDiagnostics.js';
import { STRATEGIES } from './wizard-model.js';

export function StrategyPage(props: {
  strategy: RolloutStrategyKind;
  diagnostics: readonly Diagnostic[];
  onChange(s: RolloutStrategyKind): void;
}) {
  const { strategy, diagnostics, onChange } = props;
  return (
    <fieldset className="wizard-page">
      <legend>How should traffic move?</legend>
      <div className="choice-list">
        {STRATEGIES.map((s) => (
          <label key={s.id} className="choice">
            <input type="radio" name="strategy" value={s.id} checked={strategy === s.id} onChange={() => onChange(s.id)} />
            <strong>{s.label}</strong> <span className="muted">{s.explanation}</span>
          </label>
        ))}
      </div>
      <FieldDiagnostics field="strategy" diagnostics={diagnostics} />
    </fieldset>
  );
}
