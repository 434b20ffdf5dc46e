import type { Diagnostic } from '@anymesh/core';
import type { WizardService } from '../../../src/server/api-types.js';
import { FieldDiagnostics, fieldProps } from './FieldDiagnostics.js';

function VersionSelect(props: {
  field: 'from' | 'to';
  label: string;
  value: string;
  service: WizardService;
  diagnostics: readonly Diagnostic[];
  onChange(version: string): void;
}) {
  const { field, label, value, service, diagnostics, onChange } = props;
  return (
    <div className="field">
      <label htmlFor={`field-${field}`}>{label}</label>
      <select {...fieldProps(field, diagnostics)} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">choose a version</option>
        {service.versions.map((v) => (
          <option key={v.name} value={v.name}>
            {v.name} — {v.instancesUp} of {v.instances} instances up
          </option>
        ))}
      </select>
      <FieldDiagnostics field={field} diagnostics={diagnostics} />
    </div>
  );
}

/** From (stable) and to (new), with each version's live instance counts. */
export function VersionsPage(props: {
  service: WizardService;
  from: string;
  to: string;
  live: boolean;
  diagnostics: readonly Diagnostic[];
  onChange(from: string, to: string): void;
}) {
  const { service, from, to, live, diagnostics, onChange } = props;
  const target = service.versions.find((v) => v.name === to);
  return (
    <fieldset className="wizard-page">
      <legend>Versions of {service.name}</legend>
      {!live && <p className="muted">Instance counts come from a running native mesh; without one they show what the policies declare.</p>}
      <VersionSelect
        field="from"
        label="From (stable)"
        value={from}
        service={service}
        diagnostics={diagnostics}
        onChange={(v) => onChange(v, to)}
      />
      <VersionSelect
        field="to"
        label="To (new)"
        value={to}
        service={service}
        diagnostics={diagnostics}
        onChange={(v) => onChange(from, v)}
      />
      {target && live && target.instancesUp === 0 && (
        <p className="banner banner-warn" role="note">
          No instance of {target.name} is up: it would get no traffic, and every interval would have no data.
        </p>
      )}
    </fieldset>
  );
}
