import { formatDiagnostic, type Diagnostic } from '@anymesh/core';
import { UsageError } from './errors.js';

export type DiagnosticFormat = 'text' | 'json';

export function parseFormat<T extends string>(value: string, allowed: readonly T[], flag = '-o'): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

/** Diagnostics go to stderr as `file:line:col: severity CODE: message (path)`, one per line. */
export function writeDiagnosticsText(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
}

export function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Collects repeatable `-f` values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
