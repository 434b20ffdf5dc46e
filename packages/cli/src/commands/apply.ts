import type { Command } from 'commander';
import { loadTexts, readSources, type Diagnostic } from '@anymesh/core';
import type { ApplyResult } from '@anymesh/native-mesh';
import { adminTokenOf, defaultControlPlaneUrl, missingTokenMessage, tokenHint, stateDirOption } from '../control-plane-access.js';
import { UsageError } from '../errors.js';
import { collect, parseFormat, readStdin, summary, writeDiagnosticsText } from '../output.js';

const APPLY_TIMEOUT_MS = 30_000;

interface ApplyFlags {
  filename: string[];
  mesh?: string;
  controlPlane?: string;
  output: string;
  token?: string;
}

export function registerApply(program: Command, result: { code: number }): void {
  program
    .command('apply')
    .description('validate policies, then put them in force on a running mesh (replaces the whole policy set)')
    .argument('[paths...]', 'files, directories (recursively) or - for stdin')
    .option('-f, --filename <path>', 'a file or directory (repeatable, like kubectl)', collect, [])
    .option('--mesh <mesh>', 'the mesh to apply to (native)')
    .option('--control-plane <url>', 'native mesh control plane (default $ANYMESH_CONTROL_PLANE or http://127.0.0.1:15000)')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--token <token>', 'admin token (default $ANYMESH_TOKEN, else read from <state-dir>/control-plane/admin-token)')
    .addOption(stateDirOption())
    .addHelpText(
      'after',
      '\nThe policies are checked locally first (the same diagnostics as validate); the control plane checks them\nagain and swaps the whole set atomically: what is not in the files is no longer in force.\n\nExit codes: 0 applied, 1 invalid or refused or control plane unreachable, 2 usage error.\n\nExamples:\n  $ anymesh apply -f examples/bookstore --mesh native\n  $ anymesh apply -f policies/ --mesh native --control-plane http://10.0.0.5:15000',
    )
    .action(async (paths: string[], opts: ApplyFlags, command: Command) => {
      const format = parseFormat(opts.output, ['text', 'json'] as const);
      const all = [...paths, ...opts.filename];
      if (all.length === 0) throw new UsageError('apply needs policies: -f <file or directory> (or - for stdin)');
      if (opts.mesh === undefined) throw new UsageError('apply needs --mesh; the bundled mesh is --mesh native');
      if (opts.mesh !== 'native')
        throw new UsageError(`apply --mesh ${opts.mesh} is not available; use --mesh native, or anymesh translate for other meshes`);
      const url = (opts.controlPlane ?? defaultControlPlaneUrl()).replace(/\/+$/, '');

      const { sources, diagnostics: readDiagnostics } = await readSources(all, { readStdin });
      const local = loadTexts(sources, readDiagnostics);
      if (!local.valid) return void (result.code = report(format, false, undefined, local.diagnostics, 'invalid'));

      const admin = await adminTokenOf(command);
      if (admin.token === undefined) {
        process.stderr.write(`anymesh: ${missingTokenMessage(admin)}\n`);
        return void (result.code = 1);
      }
      let response: Response;
      try {
        response = await fetch(`${url}/v1/policies`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
          body: JSON.stringify({ sources }),
          signal: AbortSignal.timeout(APPLY_TIMEOUT_MS),
        });
      } catch (error) {
        const cause = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
        process.stderr.write(
          `anymesh: cannot reach the control plane at ${url} (${cause}); start it with anymesh up or anymesh control-plane, or pass --control-plane\n`,
        );
        return void (result.code = 1);
      }
      const body = (await response.json().catch(() => undefined)) as (ApplyResult & { error?: { message: string } }) | undefined;
      if (!body || !Array.isArray(body.diagnostics)) {
        const hint = tokenHint(response.status, admin);
        process.stderr.write(
          `anymesh: the control plane at ${url} answered ${response.status}: ${body?.error?.message ?? 'no apply result'}${hint}\n`,
        );
        return void (result.code = 1);
      }
      result.code = report(format, body.applied, body.version, body.diagnostics, body.applied ? 'applied' : 'refused by the control plane');
    });
}

function report(
  format: 'text' | 'json',
  applied: boolean,
  version: number | undefined,
  diagnostics: readonly Diagnostic[],
  verdict: string,
): number {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ applied, version, diagnostics }, null, 2)}\n`);
  } else {
    writeDiagnosticsText(diagnostics);
    process.stderr.write(`${verdict}: ${summary(diagnostics)}\n`);
    if (applied) process.stdout.write(`config version ${version}\n`);
  }
  return applied ? 0 : 1;
}
