import type { Command } from 'commander';
import { hasErrors, loadPolicies, sortDiagnostics } from '@anymesh/core';
import { manifestsToYaml, type Manifest } from '@anymesh/adapters';
import { UsageError } from '../errors.js';
import { adapterOption, MESH_NAMES } from '../mesh-option.js';
import { OUT_DIR_INDEX, writeOutDir } from '../out-dir.js';
import { collect, parseFormat, readStdin, summary, writeDiagnosticsText } from '../output.js';

type Format = 'yaml' | 'json';

/** `<kind>-<namespace>-<name>.<ext>`, lower-case: unique per object, stable across runs. */
function fileNameOf(m: Manifest, format: Format): string {
  return `${[m.kind.toLowerCase(), m.metadata.namespace ?? 'cluster', m.metadata.name].join('-')}.${format}`;
}

function render(manifests: readonly Manifest[], format: Format): string {
  if (format === 'yaml') return manifestsToYaml(manifests);
  // A Kubernetes List: `kubectl apply -f` takes it as is.
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests }, null, 2)}\n`;
}

/** One file per object, by name. */
function filesOf(manifests: readonly Manifest[], format: Format): Map<string, string> {
  return new Map(
    manifests.map((m) => [fileNameOf(m, format), format === 'yaml' ? manifestsToYaml([m]) : `${JSON.stringify(m, null, 2)}\n`]),
  );
}

export function registerTranslate(program: Command, result: { code: number }): void {
  program
    .command('translate')
    .description("translate policies into one mesh's configuration: manifests on stdout, diagnostics on stderr")
    .argument('[paths...]', 'files, directories (recursively) or - for stdin')
    .option('-f, --filename <path>', 'a file or directory (repeatable, like kubectl)', collect, [])
    .option('--mesh <mesh>', `target mesh: ${MESH_NAMES.join(', ')}`)
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .option('--strict', 'fail when the mesh cannot express a feature exactly (unsupported or approximated)')
    .option(
      '--out-dir <dir>',
      'write one file per object into this directory instead of stdout (and remove what an earlier run wrote there)',
    )
    .addHelpText(
      'after',
      `\nEvery feature the mesh cannot express exactly is reported (AM4001 unsupported, AM4002 approximated,\nAM4003 assumption); nothing is dropped silently. With --strict, AM4001/AM4002 are errors and nothing is written.\n\nWith --out-dir, the files written are listed in <dir>/${OUT_DIR_INDEX}; the next run removes those it no longer\nwrites, so that kubectl apply -f <dir> applies exactly the last translation. Other files in <dir> are left alone.\n\nExit codes: 0 translated (warnings allowed), 1 invalid input or strict violations, 2 usage error.\n\nExamples:\n  $ anymesh translate examples/bookstore --mesh istio > istio.yaml\n  $ anymesh translate -f policies/ --mesh linkerd --strict --out-dir out/`,
    )
    .action(async (paths: string[], opts: { filename: string[]; mesh?: string; output: string; strict?: boolean; outDir?: string }) => {
      const format = parseFormat(opts.output, ['yaml', 'json'] as const);
      const adapter = await adapterOption(opts.mesh, 'translate');
      const all = [...paths, ...opts.filename];
      if (all.length === 0) throw new UsageError('translate needs at least one path (a file, a directory or -)');
      const loaded = await loadPolicies(all, { readStdin });
      if (!loaded.valid) {
        writeDiagnosticsText(loaded.diagnostics);
        process.stderr.write(`invalid: ${summary(loaded.diagnostics)}; nothing translated\n`);
        result.code = 1;
        return;
      }
      const translation = adapter.translate(loaded.set, { strict: opts.strict === true });
      const diagnostics = sortDiagnostics([...loaded.diagnostics, ...translation.diagnostics]);
      writeDiagnosticsText(diagnostics);
      if (hasErrors(diagnostics)) {
        process.stderr.write(`not translated for ${adapter.name} (--strict): ${summary(diagnostics)}\n`);
        result.code = 1;
        return;
      }
      let where = '';
      if (opts.outDir !== undefined) {
        const { removed, foreign } = await writeOutDir(opts.outDir, filesOf(translation.manifests, format));
        if (foreign.length > 0) {
          process.stderr.write(
            `warning: ${opts.outDir} also holds ${foreign.length} file${foreign.length === 1 ? '' : 's'} anymesh did not write (${foreign.join(', ')}); kubectl apply -f ${opts.outDir} would apply ${foreign.length === 1 ? 'it' : 'them'} too\n`,
          );
        }
        where = ` into ${opts.outDir}${removed.length > 0 ? ` (removed ${removed.length} file${removed.length === 1 ? '' : 's'} of an earlier run: ${removed.join(', ')})` : ''}`;
      } else process.stdout.write(render(translation.manifests, format));
      process.stderr.write(`translated for ${adapter.name}: ${translation.manifests.length} objects${where}, ${summary(diagnostics)}\n`);
      result.code = 0;
    });
}
