import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';
import { formatFieldPath, type FieldPath } from '../diagnostics/field-path.js';
import { objectRef, type LoadedObject } from '../model/kinds.js';

/** Builds a diagnostic about a field of a loaded object, positioned where the field was written. */
export function report(
  loaded: LoadedObject,
  code: DiagnosticCode,
  path: FieldPath,
  message: string,
  severity: Severity = 'error',
): Diagnostic {
  return {
    code,
    severity,
    ...loaded.positionOf(path),
    path: formatFieldPath(path),
    message,
    object: objectRef(loaded.object),
  };
}

export type Check = (set: import('../model/policy-set.js').PolicySet) => Diagnostic[];
