import type { Command } from 'commander';
import { FEATURE_NAMES, FEATURES } from '@anymesh/core';
import { ADAPTERS, adapterColumns, capabilityMarkdown, type CapabilityColumn } from '@anymesh/adapters';
import { NATIVE_CAPABILITIES } from '@anymesh/native-mesh';
import { collect, parseFormat } from '../output.js';
import { UsageError } from '../errors.js';

const SYMBOL = { full: '✓ full', partial: '~ partial', none: '✗ none' } as const;

/** The bundled native mesh's column, from its own published table. */
const NATIVE: CapabilityColumn = { name: 'native', displayName: 'the native mesh', capabilities: NATIVE_CAPABILITIES };

/** The columns asked for, in the order given; default every adapter, then the native mesh. */
function columnsFor(meshes: readonly string[]): CapabilityColumn[] {
  const all = [...adapterColumns(), NATIVE];
  if (meshes.length === 0) return all;
  return meshes.map((m) => {
    const column = all.find((c) => c.name === m);
    if (!column) throw new UsageError(`unknown mesh "${m}": known meshes are ${all.map((c) => c.name).join(', ')}`);
    return column;
  });
}

function table(columns: readonly CapabilityColumn[]): string {
  const withNotes = columns.length === 1;
  const header = ['feature', ...columns.map((c) => c.name), ...(withNotes ? ['note'] : [])];
  const body = FEATURE_NAMES.map((f) => [
    f,
    ...columns.map((c) => SYMBOL[c.capabilities[f].level]),
    ...(withNotes ? [columns[0]!.capabilities[f].note] : []),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...body.map(line)].join('\n')}\n`;
}

/** One row per feature, `meshes` keyed by column name (the shape of the adapters' `capabilityMatrix`). */
function json(columns: readonly CapabilityColumn[]): string {
  const rows = FEATURE_NAMES.map((feature) => ({
    feature,
    description: FEATURES[feature],
    meshes: Object.fromEntries(columns.map((c) => [c.name, c.capabilities[feature]])),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export function registerCapabilities(program: Command, result: { code: number }): void {
  program
    .command('capabilities')
    .description('what each mesh can express, feature by feature (from the adapters and the native mesh themselves)')
    .option('--mesh <mesh>', `only this mesh (repeatable): ${[...ADAPTERS.map((a) => a.name), NATIVE.name].join(', ')}`, collect, [])
    .option('-o, --output <format>', 'table, json or markdown', 'table')
    .addHelpText(
      'after',
      '\nLevels: full (same semantics), partial (approximated or with a caveat: see the note), none (not expressible).\n\nExamples:\n  $ anymesh capabilities\n  $ anymesh capabilities --mesh istio\n  $ anymesh capabilities --mesh native\n  $ anymesh capabilities -o markdown > capabilities.md',
    )
    .action((opts: { mesh: string[]; output: string }) => {
      const format = parseFormat(opts.output, ['table', 'json', 'markdown'] as const);
      const columns = columnsFor(opts.mesh);
      const text = format === 'json' ? json(columns) : format === 'markdown' ? capabilityMarkdown(columns) : table(columns);
      process.stdout.write(text);
      result.code = 0;
    });
}
