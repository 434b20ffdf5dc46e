import type { Command } from 'commander';
import { ADAPTERS, adapterColumns, capabilityMarkdown, capabilityMatrix, type CapabilityRow, type MeshName } from '@anymesh/adapters';
import { collect, parseFormat } from '../output.js';
import { adapterOption } from './translate.js';

const SYMBOL = { full: '✓ full', partial: '~ partial', none: '✗ none' } as const;

function table(rows: readonly CapabilityRow[], meshes: readonly MeshName[]): string {
  const withNotes = meshes.length === 1;
  const header = ['feature', ...meshes, ...(withNotes ? ['note'] : [])];
  const body = rows.map((r) => [
    r.feature,
    ...meshes.map((m) => (r.meshes[m] ? SYMBOL[r.meshes[m].level] : '')),
    ...(withNotes ? [r.meshes[meshes[0]!]?.note ?? ''] : []),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...body.map(line)].join('\n')}\n`;
}

export function registerCapabilities(program: Command, result: { code: number }): void {
  program
    .command('capabilities')
    .description('what each mesh can express, feature by feature (from the adapters themselves)')
    .option('--mesh <mesh>', 'only this mesh (repeatable)', collect, [])
    .option('-o, --output <format>', 'table, json or markdown', 'table')
    .addHelpText(
      'after',
      '\nLevels: full (same semantics), partial (approximated or with a caveat: see the note), none (not expressible).\n\nExamples:\n  $ anymesh capabilities\n  $ anymesh capabilities --mesh istio\n  $ anymesh capabilities -o markdown > capabilities.md',
    )
    .action((opts: { mesh: string[]; output: string }) => {
      const format = parseFormat(opts.output, ['table', 'json', 'markdown'] as const);
      const meshes = opts.mesh.length ? opts.mesh.map((m) => adapterOption(m, 'capabilities').name) : ADAPTERS.map((a) => a.name);
      const rows = capabilityMatrix(meshes);
      if (format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else process.stdout.write(format === 'markdown' ? capabilityMarkdown(adapterColumns(meshes)) : table(rows, meshes));
      result.code = 0;
    });
}
