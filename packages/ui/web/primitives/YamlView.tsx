import type { Diagnostic } from '@anymesh/core';
import { memo, type ReactNode } from 'react';
import { tokenizeYamlLine } from './yaml-tokens.js';

const Line = memo(function Line({ text }: { text: string }) {
  return (
    <>
      {tokenizeYamlLine(text).map((t, i) =>
        t.kind === 'text' ? (
          t.text
        ) : (
          <span key={i} className={`tok-${t.kind}`}>
            {t.text}
          </span>
        ),
      )}
    </>
  );
});

/** Syntax-highlighted YAML with line numbers; diagnostics are shown under the line they point at. */
export function YamlView({ text, diagnostics = [], label }: { text: string; diagnostics?: readonly Diagnostic[]; label: string }) {
  const byLine = new Map<number, Diagnostic[]>();
  for (const d of diagnostics) byLine.set(d.line, [...(byLine.get(d.line) ?? []), d]);
  const rows: ReactNode[] = text.split('\n').map((line, i) => {
    const found = byLine.get(i + 1) ?? [];
    return (
      <div key={i} className={found.length > 0 ? `yaml-line has-${found[0]?.severity ?? 'info'}` : 'yaml-line'}>
        <span className="line-no" aria-hidden="true">
          {i + 1}
        </span>
        <span className="line-text">
          <Line text={line} />
        </span>
        {found.map((d, j) => (
          <div key={j} className={`inline-diagnostic severity-${d.severity}`} role="note">
            {d.code} {d.severity}: {d.message}
            {d.path ? ` (${d.path})` : ''}
          </div>
        ))}
      </div>
    );
  });
  return (
    <pre className="yaml" aria-label={label} tabIndex={0}>
      <code>{rows}</code>
    </pre>
  );
}
