import { join } from 'node:path';
import { ManagedProcess } from './managed-process.js';
import type { ReplicaPlan } from './plan.js';

/** The four ports of one replica: the app's own, and its sidecar's listeners. */
export interface ReplicaPorts {
  readonly app: number;
  readonly inbound: number;
  readonly outbound: number;
  readonly admin: number;
}

/** Starts a replica's app. The runner's variables win over the Workload's `env`: the sidecar forwards to $PORT. */
export function launchApp(replica: ReplicaPlan, ports: ReplicaPorts, logDir: string): ManagedProcess {
  return new ManagedProcess({
    name: `${replica.id} app`,
    command: replica.command,
    args: replica.args,
    cwd: replica.cwd,
    env: {
      ...process.env,
      ...replica.env,
      PORT: String(ports.app),
      SERVICE: replica.service,
      VERSION: replica.version ?? '',
      NAMESPACE: replica.namespace,
      INSTANCE: replica.id,
      ANYMESH_OUTBOUND: `http://127.0.0.1:${ports.outbound}`,
    },
    logFile: join(logDir, `${replica.id}.app.log`),
  });
}

/** What `anymesh proxy` needs to front one instance. */
export interface SidecarLaunch {
  readonly id: string;
  readonly namespace: string;
  readonly service: string;
  readonly version: string | undefined;
  readonly serviceAccount: string;
  readonly trustDomain: string;
  readonly servicePort: number;
  readonly locality: { readonly region?: string; readonly zone?: string } | undefined;
}

/** `anymesh proxy` flags for an instance; `sidecarCommand` is the argv that runs `anymesh proxy`. */
export function sidecarArgs(instance: SidecarLaunch, ports: ReplicaPorts, controlPlaneUrl: string): string[] {
  const args = [
    `--id=${instance.id}`,
    `--namespace=${instance.namespace}`,
    `--service=${instance.service}`,
    `--service-account=${instance.serviceAccount}`,
    `--trust-domain=${instance.trustDomain}`,
    `--service-port=${instance.servicePort}`,
    `--app-port=${ports.app}`,
    `--inbound-port=${ports.inbound}`,
    `--outbound-port=${ports.outbound}`,
    `--admin-port=${ports.admin}`,
    `--control-plane=${controlPlaneUrl}`,
  ];
  if (instance.version) args.push(`--service-version=${instance.version}`);
  if (instance.locality?.region) args.push(`--region=${instance.locality.region}`);
  if (instance.locality?.zone) args.push(`--zone=${instance.locality.zone}`);
  return args;
}

/** How a sidecar proves who it is to the control plane: its join token and the mesh trust bundle. */
export interface SidecarCredentials {
  readonly joinToken: string;
  readonly caFile: string;
}

/**
 * Starts a sidecar. Its join token goes in the environment (`ANYMESH_JOIN_TOKEN`), not on the
 * command line where any local user could read it with ps; the trust bundle file in `ANYMESH_CA_FILE`.
 */
export function launchSidecar(
  sidecarCommand: readonly string[],
  instance: SidecarLaunch,
  ports: ReplicaPorts,
  controlPlaneUrl: string,
  logDir: string,
  credentials: SidecarCredentials,
): ManagedProcess {
  const [command, ...prefix] = sidecarCommand;
  return new ManagedProcess({
    name: `${instance.id} sidecar`,
    command: command ?? process.execPath,
    args: [...prefix, ...sidecarArgs(instance, ports, controlPlaneUrl)],
    cwd: process.cwd(),
    env: { ...process.env, ANYMESH_JOIN_TOKEN: credentials.joinToken, ANYMESH_CA_FILE: credentials.caFile },
    logFile: join(logDir, `${instance.id}.sidecar.log`),
  });
}
