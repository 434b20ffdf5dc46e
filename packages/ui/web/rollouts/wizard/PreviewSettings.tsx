import type { Diagnostic } from '@anymesh/core';
import type { RolloutDraft } from '../../../src/server/api-types.js';
import { FieldDiagnostics, fieldProps } from './FieldDiagnostics.js';

type PreviewFields = Pick<RolloutDraft, 'iterations' | 'previewHeader' | 'mirror' | 'scaleDownDelay'>;

/** Blue/green: how the new version is reached before the switch, and how long the old one stays ready after it. */
export function PreviewSettings(props: {
  value: PreviewFields;
  diagnostics: readonly Diagnostic[];
  onChange(change: Partial<PreviewFields>): void;
}) {
  const { value, diagnostics, onChange } = props;
  const text = (field: 'iterations' | 'previewHeader' | 'scaleDownDelay', label: string) => (
    <div className="field">
      <label htmlFor={`field-${field}`}>{label}</label>
      <input {...fieldProps(field, diagnostics)} value={value[field]} onChange={(e) => onChange({ [field]: e.target.value })} />
      <FieldDiagnostics field={field} diagnostics={diagnostics} />
    </div>
  );
  return (
    <fieldset className="wizard-page">
      <legend>Preview before the switch</legend>
      {text('previewHeader', 'Preview header (requests with it set to true reach the new version)')}
      <label className="choice">
        <input type="checkbox" checked={value.mirror} onChange={(e) => onChange({ mirror: e.target.checked })} /> Also mirror the old
        version&apos;s live traffic to the new one
      </label>
      {text('iterations', 'Checks before the switch')}
      {text('scaleDownDelay', 'Keep the old version ready after the switch for')}
    </fieldset>
  );
}
