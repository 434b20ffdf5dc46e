import type { Diagnostic } from '@anymesh/core';

/** Diagnostics as `file:line:col`, code, message and field path; one list item each. */
export function DiagnosticList({ diagnostics, empty }: { diagnostics: readonly Diagnostic[]; empty?: string }) {
  if (diagnostics.length === 0) return empty ? <p className="muted">{empty}</p> : null;
  return (
    <ul className="diagnostics">
      {diagnostics.map((d, i) => (
        <li key={`${d.code}-${d.file}-${d.line}-${d.col}-${i}`} className={`diagnostic severity-${d.severity}`}>
          <span className="diagnostic-code">{d.code}</span> <span className="diagnostic-severity">{d.severity}</span>{' '}
          <span className="diagnostic-where">
            {d.file.split('/').at(-1)}:{d.line}:{d.col}
          </span>
          {d.path && <code className="diagnostic-path">{d.path}</code>}
          <div className="diagnostic-message">{d.message}</div>
        </li>
      ))}
    </ul>
  );
}
