import type { Command } from 'commander';
import { hasErrors, loadPolicies, sortDiagnostics } from '@anymesh/core';
import { UsageError } from '../errors.js';
import { adapterOption, MESH_NAMES } from '../mesh-option.js';
import { collect, parseFormat, readStdin, summary, writeDiagnosticsText } from '../output.js';

export function registerValidate(program: Command, result: { code: number }): void {
  program
    .command('validate')
    .description('check policy files: schema, references, weights, precedence, regexes, durations, conflicts')
    .argument('[paths...]', 'files, directories (recursively) or - for stdin')
    .option('-f, --filename <path>', 'a file or directory (repeatable, like kubectl)', collect, [])
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--mesh <mesh>', `also translate for this mesh (${MESH_NAMES.join(', ')}), so valid means applicable`)
    .option('--strict', 'with --mesh: what the mesh cannot express exactly is an error')
    .addHelpText(
      'after',
      '\nWith --mesh the policies are also translated (the same functions as translate) and the translation\nfindings are reported: AM4001 unsupported, AM4002 approximated, AM4003 assumption.\n\nExit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error.\n\nExamples:\n  $ anymesh validate examples/bookstore\n  $ anymesh validate examples/bookstore --mesh istio --strict\n  $ cat policy.yaml | anymesh validate - -o json',
    )
    .action(async (paths: string[], opts: { filename: string[]; output: string; mesh?: string; strict?: boolean }) => {
      const format = parseFormat(opts.output, ['text', 'json'] as const);
      const adapter = opts.mesh === undefined ? undefined : await adapterOption(opts.mesh, 'validate');
      if (opts.strict && !adapter) throw new UsageError('--strict needs --mesh (it is about what a mesh can express)');
      const all = [...paths, ...opts.filename];
      if (all.length === 0) throw new UsageError('validate needs at least one path (a file, a directory or -)');
      const loaded = await loadPolicies(all, { readStdin });
      // A trial translation through the very functions `translate` uses; only a schema-valid set can be translated.
      const translation = adapter && loaded.valid ? adapter.translate(loaded.set, { strict: opts.strict === true }) : undefined;
      const diagnostics = sortDiagnostics([...loaded.diagnostics, ...(translation?.diagnostics ?? [])]);
      const valid = !hasErrors(diagnostics);
      if (format === 'json') {
        process.stdout.write(
          `${JSON.stringify({ valid, mesh: adapter?.name, objects: loaded.set.objects.length, diagnostics }, null, 2)}\n`,
        );
      } else {
        writeDiagnosticsText(diagnostics);
        const verdict = valid ? (adapter ? `valid for ${adapter.name}` : 'valid') : adapter ? `invalid for ${adapter.name}` : 'invalid';
        process.stderr.write(`${verdict}: ${loaded.set.objects.length} objects, ${summary(diagnostics)}\n`);
      }
      result.code = valid ? 0 : 1;
    });
}
