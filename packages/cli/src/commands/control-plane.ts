import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readSources, type SourceText } from '@anymesh/core';
import { ADMIN_TOKEN_FILE, ControlPlaneError, startControlPlane, TRUST_BUNDLE_FILE, type ControlPlaneEvent } from '@anymesh/native-mesh';
import { controlPlaneStateDir, DEFAULT_CONTROL_PLANE_PORT, parsePort, stateDirOption, untilStopSignal } from '../control-plane-access.js';
import { UsageError } from '../errors.js';
import { collect, writeDiagnosticsText } from '../output.js';

// `anymesh up` (commands/up.ts) takes these from here.
export { DEFAULT_CONTROL_PLANE_PORT, parsePort, untilStopSignal } from '../control-plane-access.js';

export function describeControlPlaneEvent(event: ControlPlaneEvent): string {
  switch (event.type) {
    case 'instance-registered': {
      const i = event.instance;
      return `registered ${i.id} (${i.namespace}/${i.service}${i.version ? ` ${i.version}` : ''} at ${i.host}:${i.inboundPort}), config version ${event.version}`;
    }
    case 'instance-removed':
      return `${event.reason === 'expired' ? 'dropped silent instance' : 'deregistered'} ${event.instance.id}, config version ${event.version}`;
    case 'policies-applied':
      return `applied ${event.objects} objects, config version ${event.version}`;
    case 'policies-refused':
      return `refused a policy set with ${event.errors} error${event.errors === 1 ? '' : 's'}; nothing changed`;
    case 'state-write-failed':
      return `warning: ${event.message}`;
    case 'rollout':
      return `rollout ${event.namespace}/${event.name} ${event.event.kind} (step ${event.event.step + 1}, ${event.event.phase}): ${event.event.reason}`;
    case 'rollout-trouble':
      return `warning: rollout ${event.namespace}/${event.name}: ${event.message}`;
  }
}

export function registerControlPlane(program: Command, result: { code: number }): void {
  program
    .command('control-plane')
    .description('run the native-mesh control plane: instance registry, policy store, config distribution to sidecars')
    .addOption(stateDirOption())
    .option('--port <port>', 'port of the HTTP API', String(DEFAULT_CONTROL_PLANE_PORT))
    .option('--host <address>', 'address to listen on (beyond 127.0.0.1 only if asked)', '127.0.0.1')
    .option('--ca-cert <file>', 'a root CA certificate (PEM) to run the mesh CA as an intermediate of (first start only)')
    .option('--ca-key <file>', 'its private key (PKCS#8 PEM, ECDSA P-256)')
    .option('-f, --filename <path>', 'policies to put in force at start (repeatable); otherwise the persisted ones', collect, [])
    .addHelpText(
      'after',
      '\nKeeps its policies, config version, CA and admin token in <state-dir>/control-plane (the place anymesh up uses),\nwhere apply, tap, join-token and dashboard find the admin token with the same --state-dir.\nRuns until SIGINT or SIGTERM. Exit codes: 0 stopped cleanly, 1 invalid policies or state, 2 usage error.\n\nExamples:\n  $ anymesh control-plane -f examples/bookstore\n  $ anymesh control-plane --state-dir /var/lib/anymesh --port 15000',
    )
    .action(async (opts: { stateDir: string; port: string; host: string; filename: string[]; caCert?: string; caKey?: string }) => {
      const port = parsePort(opts.port, '--port', true);
      if ((opts.caCert === undefined) !== (opts.caKey === undefined)) throw new UsageError('--ca-cert and --ca-key go together');
      const caRoot =
        opts.caCert && opts.caKey
          ? { certPem: await readFile(opts.caCert, 'utf8'), keyPem: await readFile(opts.caKey, 'utf8') }
          : undefined;
      let policies: SourceText[] | undefined;
      if (opts.filename.length > 0) {
        const read = await readSources(opts.filename);
        writeDiagnosticsText(read.diagnostics);
        if (read.diagnostics.some((d) => d.severity === 'error')) return void (result.code = 1);
        policies = read.sources;
      }
      const log = (line: string) => process.stderr.write(`control-plane: ${line}\n`);
      const stateDir = controlPlaneStateDir(opts.stateDir);
      let controlPlane;
      try {
        controlPlane = await startControlPlane({
          stateDir,
          port,
          host: opts.host,
          ...(policies ? { policies } : {}),
          ...(caRoot ? { caRoot } : {}),
          onEvent: (event) => log(describeControlPlaneEvent(event)),
        });
      } catch (error) {
        if (!(error instanceof ControlPlaneError)) throw error;
        if (Array.isArray(error.details)) writeDiagnosticsText(error.details as never);
        process.stderr.write(`anymesh: ${error.message}\n`);
        return void (result.code = 1);
      }
      log(`listening on ${controlPlane.url} (state in ${stateDir}, config version ${controlPlane.version})`);
      log(`admin token in ${join(stateDir, ADMIN_TOKEN_FILE)}; sidecars trust ${join(stateDir, TRUST_BUNDLE_FILE)}`);
      process.stdout.write(`${controlPlane.url}\n`);
      const signal = await untilStopSignal();
      log(`${signal}: stopping`);
      await controlPlane.close();
      result.code = 0;
    });
}
