import type { Diagnostic } from '@anymesh/core';
import { fieldOf } from './wizard-model.js';

export const fieldId = (field: string) => `field-${field.replace(/[^\w-]/g, '_')}`;
export const diagnosticsId = (field: string) => `${fieldId(field)}-diagnostics`;

/** The findings of one field, under it, in the words `anymesh validate` uses. */
export function FieldDiagnostics({ field, diagnostics }: { field: string; diagnostics: readonly Diagnostic[] }) {
  const own = diagnostics.filter((d) => fieldOf(d.path) === field);
  if (own.length === 0) return null;
  return (
    <ul className="field-diagnostics" id={diagnosticsId(field)} data-field={field}>
      {own.map((d, i) => (
        <li key={i} className={`diagnostic severity-${d.severity}`}>
          <span className="diagnostic-code">{d.code}</span> {d.message}
          {d.path && <code className="diagnostic-path">{d.path}</code>}
        </li>
      ))}
    </ul>
  );
}

/** Props that tie an input to its findings: aria-invalid and aria-describedby. */
export function fieldProps(field: string, diagnostics: readonly Diagnostic[]) {
  const bad = diagnostics.some((d) => fieldOf(d.path) === field && d.severity === 'error');
  return {
    id: fieldId(field),
    'aria-invalid': bad || undefined,
    'aria-describedby': diagnostics.some((d) => fieldOf(d.path) === field) ? diagnosticsId(field) : undefined,
  };
}
