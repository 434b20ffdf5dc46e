import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { spiffeId } from '@anymesh/core';
import { readFile } from 'node:fs/promises';
import {
  ControlPlaneClient,
  ControlPlaneIdentity,
  controlPlaneSpiffeId,
  freePort,
  startSidecar,
  type CertificateEvent,
  type ClientEvent,
  type InstanceInfo,
} from '@anymesh/native-mesh';
import { UsageError } from '../errors.js';
import { defaultControlPlaneUrl, parsePort, untilStopSignal } from '../control-plane-access.js';

interface ProxyFlags {
  service: string;
  serviceVersion?: string;
  namespace: string;
  id?: string;
  appPort: string;
  inboundPort?: string;
  outboundPort?: string;
  adminPort?: string;
  servicePort: string;
  controlPlane?: string;
  zone?: string;
  region?: string;
  serviceAccount?: string;
  trustDomain: string;
  bindHost: string;
  advertiseHost?: string;
  parentPid?: string;
  accessLog: string;
  tracingEndpoint?: string;
  caFile?: string;
}

const PARENT_CHECK_MS = 1_000;

export function registerProxy(program: Command, result: { code: number }): void {
  program
    .command('proxy')
    .description('run one sidecar proxy in front of an app instance, configured by the native-mesh control plane')
    .requiredOption('--service <name>', 'the service this instance belongs to')
    .option('--service-version <name>', "its version (a key of the Service's versions); --version is the CLI's own flag")
    .option('--namespace <name>', 'its namespace', 'default')
    .option('--id <id>', 'instance id in the registry (default <service>-<version>-<pid>)')
    .requiredOption('--app-port <port>', 'where the app listens on 127.0.0.1')
    .option('--inbound-port <port>', 'listener for calls from other sidecars (default: a free port)')
    .option('--outbound-port <port>', "listener for the app's outgoing calls (default: a free port)")
    .option('--admin-port <port>', 'metrics, /ready, /healthz (default: a free port)')
    .option('--service-port <port>', 'the service port this instance serves', '80')
    .option('--control-plane <url>', 'control plane (default $ANYMESH_CONTROL_PLANE or http://127.0.0.1:15000)')
    .option('--region <name>', 'locality region, for locality-aware load balancing')
    .option('--zone <name>', 'locality zone')
    .option('--service-account <name>', 'identity (default: the service name)')
    .option('--trust-domain <domain>', 'trust domain of the identity', 'cluster.local')
    .option('--bind-host <address>', 'address the inbound and admin listeners bind to (0.0.0.0 to span machines)', '127.0.0.1')
    .option('--advertise-host <address>', 'address other sidecars use to reach this one (default: --bind-host, or 127.0.0.1 for 0.0.0.0)')
    .option('--parent-pid <pid>', 'exit when this process is gone (used by anymesh up)')
    .option('--ca-file <path>', "the mesh trust bundle: the control plane's trust-bundle.crt (default $ANYMESH_CA_FILE)")
    .option('--access-log <path>', 'where access-log lines go when the Mesh enables them: a file (appended), or - for stdout', '-')
    .option('--tracing-endpoint <url>', 'OTLP/HTTP traces endpoint (default: Mesh.spec.observability.tracing.endpoint)')
    .addHelpText(
      'after',
      '\nRuns until SIGINT or SIGTERM, then drains in-flight requests and deregisters. While the control plane is\nunreachable the sidecar keeps serving the last config it received.\n\nExample:\n  $ anymesh proxy --service reviews --service-version v1 --namespace bookstore --app-port 9080 \\\n      --inbound-port 15006 --outbound-port 15001 --admin-port 15090 --control-plane http://127.0.0.1:15000',
    )
    .action(async (opts: ProxyFlags) => {
      const instance = await instanceOf(opts);
      const appPort = parsePort(opts.appPort, '--app-port');
      const outboundPort = opts.outboundPort ? parsePort(opts.outboundPort, '--outbound-port') : await freePort();
      const url = opts.controlPlane ?? defaultControlPlaneUrl();
      const log = (line: string) => process.stderr.write(`sidecar ${instance.id}: ${line}\n`);
      let identity: ControlPlaneIdentity | undefined;
      try {
        identity = await identityOf(opts, url, instance);
      } catch (error) {
        process.stderr.write(`anymesh: ${(error as Error).message}\n`);
        return void (result.code = error instanceof UsageError ? 2 : 1);
      }
      const auth = identity ? { tls: identity.tlsOptions } : adminToken();
      const client = new ControlPlaneClient({ url, instance, auth, onEvent: (event) => log(describeClientEvent(event, url)) });
      let sidecar;
      try {
        const accessLog = opts.accessLog === '-' ? process.stdout : createWriteStream(opts.accessLog, { flags: 'a' });
        accessLog.on('error', (error: Error) => log(`access log ${opts.accessLog}: ${error.message}; access-log lines are lost`));
        const extras = {
          accessLog,
          ...(opts.tracingEndpoint ? { tracingEndpoint: opts.tracingEndpoint } : {}),
          onCertificate: (event: CertificateEvent) => log(describeCertificateEvent(event)),
        };
        const options = { instance, appPort, outboundPort, bindHost: opts.bindHost, config: client, ...(identity ? { identity } : {}) };
        sidecar = await startSidecar(options, extras);
      } catch (error) {
        await client.close();
        process.stderr.write(`anymesh: cannot start the sidecar: ${(error as Error).message}\n`);
        return void (result.code = 1);
      }
      log(
        `inbound ${opts.bindHost}:${sidecar.inboundPort} -> app 127.0.0.1:${appPort}, outbound 127.0.0.1:${sidecar.outboundPort}, admin :${sidecar.adminPort}, control plane ${url}`,
      );
      const reason = await Promise.race([untilStopSignal(), parentGone(opts.parentPid)]);
      log(`${reason}: draining and deregistering`);
      await sidecar.close();
      result.code = 0;
    });
}

async function instanceOf(opts: ProxyFlags): Promise<InstanceInfo> {
  const inboundPort = opts.inboundPort ? parsePort(opts.inboundPort, '--inbound-port') : await freePort(opts.bindHost);
  const adminPort = opts.adminPort ? parsePort(opts.adminPort, '--admin-port') : await freePort(opts.bindHost);
  const host = opts.advertiseHost ?? (opts.bindHost === '0.0.0.0' || opts.bindHost === '::' ? '127.0.0.1' : opts.bindHost);
  const version = opts.serviceVersion;
  const locality =
    opts.region || opts.zone ? { ...(opts.region ? { region: opts.region } : {}), ...(opts.zone ? { zone: opts.zone } : {}) } : undefined;
  return {
    id: opts.id ?? `${opts.service}-${version ?? 'default'}-${process.pid}`,
    namespace: opts.namespace,
    service: opts.service,
    version,
    host,
    inboundPort,
    servicePort: parsePort(opts.servicePort, '--service-port', true),
    adminPort,
    locality,
    identity: spiffeId(opts.trustDomain, opts.namespace, opts.serviceAccount ?? opts.service),
  };
}

/**
 * The sidecar's identity source: the control plane's CA, reached with the join token
 * ($ANYMESH_JOIN_TOKEN, kept out of argv) for the first certificate. Without a join token and a trust
 * bundle the sidecar runs without identity (plaintext), which only a control plane accepting its
 * admin token ($ANYMESH_TOKEN) will serve.
 */
async function identityOf(opts: ProxyFlags, url: string, instance: InstanceInfo): Promise<ControlPlaneIdentity | undefined> {
  const joinToken = process.env['ANYMESH_JOIN_TOKEN'];
  const caFile = opts.caFile ?? process.env['ANYMESH_CA_FILE'];
  if (joinToken === undefined && caFile === undefined) return undefined;
  if (joinToken === undefined || caFile === undefined) {
    throw new UsageError('an mTLS identity needs both $ANYMESH_JOIN_TOKEN and --ca-file (or $ANYMESH_CA_FILE)');
  }
  let ca: string;
  try {
    ca = await readFile(caFile, 'utf8');
  } catch (error) {
    throw new UsageError(`--ca-file ${caFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return new ControlPlaneIdentity({ url, ca, controlPlaneId: controlPlaneSpiffeId(opts.trustDomain), joinToken, instance });
}

function adminToken(): { token: string } | undefined {
  const token = process.env['ANYMESH_TOKEN'];
  return token ? { token } : undefined;
}

function describeCertificateEvent(event: CertificateEvent): string {
  switch (event.type) {
    case 'issued':
      return `certificate for ${event.spiffeId} issued, valid until ${event.notAfter.toISOString()}`;
    case 'renewal-failed':
      return `certificate renewal failed (${event.message}); retrying in ${event.retryInMs} ms`;
  }
}

function describeClientEvent(event: ClientEvent, url: string): string {
  switch (event.type) {
    case 'connected':
      return `connected to the control plane at ${url}`;
    case 'disconnected':
      return `control plane at ${url} unreachable (${event.reason}); serving the last config, retrying`;
    case 'snapshot':
      return `config version ${event.version} received`;
    case 'registration-refused':
      return `the control plane refused this instance (${event.reason}); check the flags`;
  }
}

/** Resolves when `pid` no longer exists; never when no pid is given. */
function parentGone(pid: string | undefined): Promise<string> {
  if (pid === undefined) return new Promise<string>(() => undefined);
  if (!/^\d+$/.test(pid)) throw new UsageError(`--parent-pid must be a process id, got "${pid}"`);
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      try {
        process.kill(Number(pid), 0);
      } catch {
        clearInterval(timer);
        resolve(`parent process ${pid} is gone`);
      }
    }, PARENT_CHECK_MS);
    timer.unref();
  });
}
