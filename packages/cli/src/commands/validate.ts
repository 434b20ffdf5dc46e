import type { Command } from 'commander';
import { loadPolicies } from '@anymesh/core';
import { UsageError } from '../errors.js';
import { collect, parseFormat, readStdin, summary, writeDiagnosticsText } from '../output.js';

export function registerValidate(program: Command, result: { code: number }): void {
  program
    .command('validate')
    .description('check policy files: schema, references, weights, precedence, regexes, durations, conflicts')
    .argument('[paths...]', 'files, directories (recursively) or - for stdin')
    .option('-f, --filename <path>', 'a file or directory (repeatable, like kubectl)', collect, [])
    .option('-o, --output <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      '\nExit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error.\n\nExamples:\n  $ anymesh validate examples/bookstore\n  $ cat policy.yaml | anymesh validate - -o json',
    )
    .action(async (paths: string[], opts: { filename: string[]; output: string }) => {
      const format = parseFormat(opts.output, ['text', 'json'] as const);
      const all = [...paths, ...opts.filename];
      if (all.length === 0) throw new UsageError('validate needs at least one path (a file, a directory or -)');
      const loaded = await loadPolicies(all, { readStdin });
      if (format === 'json') {
        process.stdout.write(
          `${JSON.stringify({ valid: loaded.valid, objects: loaded.set.objects.length, diagnostics: loaded.diagnostics }, null, 2)}\n`,
        );
      } else {
        writeDiagnosticsText(loaded.diagnostics);
        const verdict = loaded.valid ? 'valid' : 'invalid';
        process.stderr.write(`${verdict}: ${loaded.set.objects.length} objects, ${summary(loaded.diagnostics)}\n`);
      }
      result.code = loaded.valid ? 0 : 1;
    });
}
