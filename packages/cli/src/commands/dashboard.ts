import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startDashboard } from '@anymesh/ui';
import { adminTokenOf, missingTokenMessage, parsePort, stateDirOption, untilStopSignal } from '../control-plane-access.js';
import { UsageError } from '../errors.js';

const DEFAULT_PORT = 15080;

interface DashboardFlags {
  port: string;
  host: string;
  controlPlane?: string;
  token?: string;
}

export function registerDashboard(program: Command, result: { code: number }): void {
  program
    .command('dashboard')
    .description('serve the dashboard: topology with live traffic, mesh comparison, policies with their translations')
    .argument('[dir]', 'the policies to show', '.')
    .option('--port <port>', 'port to listen on (0: any free port)', String(DEFAULT_PORT))
    .option('--host <host>', 'address to listen on; the dashboard can change policies, so keep it local', '127.0.0.1')
    .option('--control-plane <url>', 'native mesh control plane for live traffic and apply (default: $ANYMESH_CONTROL_PLANE, else none)')
    .option('--token <token>', "the control plane's admin token (default $ANYMESH_TOKEN, else <state-dir>/control-plane/admin-token)")
    .addOption(stateDirOption())
    .addHelpText(
      'after',
      '\n`anymesh up` starts the dashboard itself, connected to the mesh it runs.\n\nExamples:\n  $ anymesh dashboard examples/bookstore\n  $ anymesh dashboard --port 8080 --control-plane http://127.0.0.1:15000 policies/',
    )
    .action(async (dir: string, opts: DashboardFlags, command: Command) => {
      const port = parsePort(opts.port, '--port', true);
      const policyDir = resolve(dir);
      if (!existsSync(policyDir)) throw new UsageError(`${dir} does not exist; name a directory (or file) of anymesh policies`);
      const controlPlaneUrl = opts.controlPlane ?? process.env['ANYMESH_CONTROL_PLANE'];
      if (controlPlaneUrl !== undefined && !/^https?:\/\/[^/]+/.test(controlPlaneUrl)) {
        throw new UsageError(`--control-plane must be an http(s) URL, got "${controlPlaneUrl}"`);
      }
      const admin = await adminTokenOf(command);
      const controlPlaneToken = admin.token;
      if (controlPlaneUrl && controlPlaneToken === undefined) {
        process.stderr.write(`warning: ${missingTokenMessage(admin)}; the calls that need it will be refused\n`);
      }
      const dashboard = await startDashboard({
        port,
        host: opts.host,
        policyDir,
        ...(controlPlaneUrl ? { controlPlaneUrl } : {}),
        ...(controlPlaneToken ? { controlPlaneToken } : {}),
      });
      process.stdout.write(`anymesh dashboard: ${dashboard.url}\n`);
      if (!controlPlaneUrl) process.stderr.write('no control plane given: showing the policies only (run `anymesh up` for live traffic)\n');
      await untilStopSignal();
      await dashboard.close();
      result.code = 0;
    });
}
