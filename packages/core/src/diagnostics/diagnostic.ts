import type { DiagnosticCode } from './codes.js';
import type { FeatureName } from '../features.js';

export type Severity = 'error' | 'warning' | 'info';

/** A position in a source file; line and column are 1-based. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/**
 * One finding about the input. `path` is the field path inside the object
 * (`spec.rules[1].destinations[0].weight`), empty for file-level findings.
 * `message` states the rule, the offending value and the fix.
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly path: string;
  readonly message: string;
  /** The object the finding is about, as `Kind/namespace/name`, when there is one. */
  readonly object?: string;
  /** For translation findings: the neutral feature a mesh cannot express (or only approximates). */
  readonly feature?: FeatureName;
  /** For translation findings: the mesh the finding is about. */
  readonly mesh?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by file, line, column, then code, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code) || a.path.localeCompare(b.path),
  );
}

/** `file:line:col: severity CODE: message (path)` — the format `anymesh validate` prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path ? ` (${d.path})` : '';
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}${where}`;
}
