import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readSources, type SourceText } from '@anymesh/core';
import {
  ADMIN_TOKEN_FILE,
  ControlPlaneError,
  readAdminToken,
  startControlPlane,
  TRUST_BUNDLE_FILE,
  type ControlPlaneEvent,
} from '@anymesh/native-mesh';
import { UsageError } from '../errors.js';
import { collect, writeDiagnosticsText } from '../output.js';

/** The control plane's port when none is given; `apply`, `proxy` and `up` default to it too. */
export const DEFAULT_CONTROL_PLANE_PORT = 15000;

export function defaultControlPlaneUrl(): string {
  return process.env['ANYMESH_CONTROL_PLANE'] ?? `http://127.0.0.1:${DEFAULT_CONTROL_PLANE_PORT}`;
}

/** The admin token for commands that call the control plane: `--token`, else $ANYMESH_TOKEN, else the state dir's file. */
export async function adminTokenOf(opts: { token?: string; stateDir: string }): Promise<string | undefined> {
  return opts.token ?? process.env['ANYMESH_TOKEN'] ?? (await readAdminToken(opts.stateDir));
}

export function parsePort(value: string, flag: string, allowZero = false): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535 || (!allowZero && port === 0)) {
    throw new UsageError(`${flag} must be a port number ${allowZero ? 0 : 1}..65535, got "${value}"`);
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM; a second one is left to Node's default (exit at once). */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

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
  }
}

export function registerControlPlane(program: Command, result: { code: number }): void {
  program
    .command('control-plane')
    .description('run the native-mesh control plane: instance registry, policy store, config distribution to sidecars')
    .option('--state-dir <dir>', 'where policies and the config version are kept', '.anymesh/control-plane')
    .option('--port <port>', 'port of the HTTP API', String(DEFAULT_CONTROL_PLANE_PORT))
    .option('--host <address>', 'address to listen on (beyond 127.0.0.1 only if asked)', '127.0.0.1')
    .option('--ca-cert <file>', 'a root CA certificate (PEM) to run the mesh CA as an intermediate of (first start only)')
    .option('--ca-key <file>', 'its private key (PKCS#8 PEM, ECDSA P-256)')
    .option('-f, --filename <path>', 'policies to put in force at start (repeatable); otherwise the persisted ones', collect, [])
    .addHelpText(
      'after',
      '\nRuns until SIGINT or SIGTERM. Exit codes: 0 stopped cleanly, 1 invalid policies or state, 2 usage error.\n\nExamples:\n  $ anymesh control-plane -f examples/bookstore\n  $ anymesh control-plane --state-dir /var/lib/anymesh --port 15000',
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
      let controlPlane;
      try {
        controlPlane = await startControlPlane({
          stateDir: opts.stateDir,
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
      log(`listening on ${controlPlane.url} (state in ${opts.stateDir}, config version ${controlPlane.version})`);
      log(`admin token in ${join(opts.stateDir, ADMIN_TOKEN_FILE)}; sidecars trust ${join(opts.stateDir, TRUST_BUNDLE_FILE)}`);
      process.stdout.write(`${controlPlane.url}\n`);
      const signal = await untilStopSignal();
      log(`${signal}: stopping`);
      await controlPlane.close();
      result.code = 0;
    });
}
