import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTexts, meshSettings, readSources, spiffeId, type MeshSettings } from '@anymesh/core';
import { startControlPlane, TRUST_BUNDLE_FILE, type ControlPlane } from '../control-plane/index.js';
import { DemoLoad, type DemoLoadStats } from './demo-load.js';
import { designedFailures } from './designed-failures.js';
import { RunnerError } from './errors.js';
import type { LocalMeshEvent } from './events.js';
import { entryPointsOf, ingressAccess, type EntryPoint } from './entry-points.js';
import { freePorts } from './free-port.js';
import { launchApp, launchSidecar, type ReplicaPorts, type SidecarCredentials, type SidecarLaunch } from './launch.js';
import type { ManagedProcess } from './managed-process.js';
import { planReplicas, type ReplicaPlan } from './plan.js';
import { waitUntilReady } from './readiness.js';
import { startReplica, type ReadinessCheck } from './start-replica.js';

export interface LocalMeshOptions {
  /** Policy files or directories (Workloads included), loaded and validated with core. */
  readonly paths: readonly string[];
  /** Control-plane state and process logs go here (`control-plane/`, `logs/`). */
  readonly stateDir: string;
  /** The argv that runs `anymesh proxy`, e.g. `[process.execPath, '<cli>/bin/anymesh.js', 'proxy']`; flags are appended. */
  readonly sidecarCommand: readonly string[];
  /** Default 0: any free port. */
  readonly controlPlanePort?: number;
  readonly heartbeatIntervalMs?: number;
  /** How long apps and sidecars get to become ready. Default 60 s. */
  readonly readyTimeoutMs?: number;
  /** SIGTERM-to-SIGKILL grace when stopping. Default 5 s. */
  readonly stopGraceMs?: number;
  /** Steady demo traffic through the ingress sidecar; `false` for none. Default 20 req/s into `frontend` (or the first service). */
  readonly load?: false | { readonly ratePerSecond?: number; readonly service?: string; readonly paths?: readonly string[] };
  /** Namespace of the ingress sidecar that callers outside the mesh (and the demo load) enter through. Default `anymesh-system`. */
  readonly ingressNamespace?: string;
  /** Aborting while starting (Ctrl-C during start-up) stops what was started and rejects with `ABORTED`. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: LocalMeshEvent) => void;
  /**
   * Where the ports of each replica come from (`count` distinct ports, free a moment ago). Default:
   * random free ports below the ephemeral range. Tests pass one that hands out a taken port.
   */
  readonly pickPorts?: (count: number) => Promise<number[]>;
}

/** One running replica: its app and its sidecar. */
export interface RunningInstance {
  readonly id: string;
  readonly namespace: string;
  readonly service: string;
  readonly version: string | undefined;
  readonly identity: string;
  readonly locality: { readonly region?: string; readonly zone?: string } | undefined;
  readonly ports: ReplicaPorts;
  readonly appPid: number | undefined;
  readonly sidecarPid: number | undefined;
  readonly logFiles: { readonly app: string; readonly sidecar: string };
}

/** How to call a service from outside the mesh: `curl -H 'Host: <host>' <url>`. */
export type { EntryPoint };

export interface LocalMesh {
  readonly controlPlane: ControlPlane;
  readonly stateDir: string;
  readonly logDir: string;
  readonly mesh: MeshSettings;
  readonly instances: readonly RunningInstance[];
  /** The ingress sidecar: its outbound listener is where traffic from outside enters the mesh. */
  readonly ingress: { readonly id: string; readonly identity: string; readonly url: string; readonly ports: ReplicaPorts };
  readonly entryPoints: readonly EntryPoint[];
  /** Undefined when the demo load is off. */
  loadStats(): DemoLoadStats | undefined;
  /** Why some requests are meant to fail (fault rules, apps that fail on purpose); empty when none is. */
  readonly designedFailures: readonly string[];
  /** Stops the load, every child process (whole process groups, SIGKILL after the grace period) and the control plane. */
  stop(): Promise<void>;
}

export const INGRESS_SERVICE = 'ingress';

/** Starts the control plane, every Workload replica with its sidecar, an ingress sidecar and the demo load. */
export async function startLocalMesh(options: LocalMeshOptions): Promise<LocalMesh> {
  const emit = options.onEvent ?? (() => undefined);
  const { sources, diagnostics: readDiagnostics } = await readSources(options.paths);
  const loaded = loadTexts(sources, readDiagnostics);
  if (!loaded.valid) throw new RunnerError('POLICIES_INVALID', 'the policies are invalid; nothing was started', loaded.diagnostics);
  const mesh = meshSettings(loaded.set.mesh?.object);
  const replicas = planReplicas(loaded.set, mesh);
  if (replicas.length === 0) throw new RunnerError('NO_WORKLOADS', `no Workload in ${options.paths.join(', ')}: nothing to run`);

  const logDir = join(options.stateDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const processes: ManagedProcess[] = [];
  let stopping = false;
  let controlPlane: ControlPlane | undefined;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(processes.map((p) => p.stop(options.stopGraceMs ?? 5_000)));
    await controlPlane?.close();
  };

  const checkAborted = () => {
    if (options.signal?.aborted) throw new RunnerError('ABORTED', 'stopped before the mesh was up; everything started was stopped');
  };
  try {
    controlPlane = await startControlPlane({
      stateDir: join(options.stateDir, 'control-plane'),
      port: options.controlPlanePort ?? 0,
      policies: sources,
      // The runner starts every instance itself: instances of an earlier run are gone.
      restoreInstances: false,
      onEvent: (event) => {
        if (event.type === 'rollout' || event.type === 'rollout-trouble') emit({ type: 'control-plane', event });
      },
      ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    });
    emit({ type: 'control-plane-started', url: controlPlane.url });
    checkAborted();
    const cpUrl = controlPlane.url;
    const cp = controlPlane;
    const caFile = join(options.stateDir, 'control-plane', TRUST_BUNDLE_FILE);
    // Each sidecar gets the join token of its own identity only (as a Kubernetes pod gets its service account's token).
    const credentialsFor = (identity: string): SidecarCredentials => ({ joinToken: cp.joinToken(identity), caFile });
    let up = false;
    // A replica still picking its ports when another's failure (or Ctrl-C) began stopping everything
    // must not start anything: a process started then would outlive the start it belonged to.
    const refuseWhileStopping = () => {
      if (stopping) throw new RunnerError('ABORTED', 'stopped before the mesh was up; everything started was stopped');
    };
    const track = (p: ManagedProcess) => {
      processes.push(p);
      emit({ type: 'process-started', name: p.spec.name, pid: p.pid, logFile: p.spec.logFile });
      void p.exited.then(({ code, signal }) => {
        // While starting, a failure is reported by the RunnerError (or retried); afterwards as an event.
        if (up && !stopping) emit({ type: 'process-exited', name: p.spec.name, code, signal, logTail: p.tail() });
      });
      return p;
    };

    const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
    const waitReady = async ({ process: what, url, id }: ReadinessCheck) => {
      if (!(await waitUntilReady(url, deadline, () => !what.running || options.signal?.aborted === true))) {
        checkAborted();
        const why = what.running ? `did not answer ${url} in time` : `exited (${what.spawnError?.message ?? 'see its log'})`;
        throw new RunnerError('NOT_READY', `${what.spec.name} ${why}; last lines of ${what.spec.logFile}:\n${what.tail()}`);
      }
      emit({ type: 'instance-ready', id });
    };
    const pick = options.pickPorts ?? freePorts;
    const startOnFreePorts = (launch: (ports: ReplicaPorts) => readonly ReadinessCheck[]) =>
      startReplica({
        pickPorts: async () => {
          const [app, inbound, outbound, admin] = await pick(4);
          return { app: app!, inbound: inbound!, outbound: outbound!, admin: admin! };
        },
        launch,
        waitReady,
        onPortTaken: (name, attempt) => emit({ type: 'port-taken', name, attempt }),
        stopGraceMs: options.stopGraceMs ?? 5_000,
      });

    const ingressNamespace = options.ingressNamespace ?? 'anymesh-system';
    const ingressLaunch: SidecarLaunch = {
      id: `${INGRESS_SERVICE}-0`,
      namespace: ingressNamespace,
      service: INGRESS_SERVICE,
      version: undefined,
      serviceAccount: INGRESS_SERVICE,
      trustDomain: mesh.trustDomain,
      servicePort: 80,
      locality: undefined,
    };
    const ingressIdentity = spiffeId(mesh.trustDomain, ingressNamespace, INGRESS_SERVICE);
    const [started, ingressStart] = await Promise.all([
      Promise.all(
        replicas.map(async (replica) => {
          const { ports, checks } = await startOnFreePorts((ports) => {
            refuseWhileStopping();
            const app = track(launchApp(replica, ports, logDir));
            const sidecarLaunch = sidecarLaunchOf(replica, mesh);
            const credentials = credentialsFor(replica.identity);
            const sidecar = track(launchSidecar(options.sidecarCommand, sidecarLaunch, ports, cpUrl, logDir, credentials));
            return [
              { process: app, url: `http://127.0.0.1:${ports.app}${replica.readinessPath}`, id: `${replica.id} app` },
              { process: sidecar, url: `http://127.0.0.1:${ports.admin}/ready`, id: `${replica.id} sidecar` },
            ];
          });
          return { replica, ports, appProcess: checks[0]!.process, sidecar: checks[1]!.process };
        }),
      ),
      startOnFreePorts((ports) => {
        refuseWhileStopping();
        const credentials = credentialsFor(ingressIdentity);
        const ingress = track(launchSidecar(options.sidecarCommand, ingressLaunch, ports, cpUrl, logDir, credentials));
        return [{ process: ingress, url: `http://127.0.0.1:${ports.admin}/ready`, id: ingressLaunch.id }];
      }),
    ]);
    const ingressPorts = ingressStart.ports;
    // Every sidecar has registered by now; wait until the registry shows them all, so the first
    // requests do not find a service without endpoints.
    const expected = started.length + 1;
    checkAborted();
    while (controlPlane.instances().length < expected) {
      checkAborted();
      if (Date.now() > deadline) throw new RunnerError('NOT_READY', 'not every sidecar registered with the control plane in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // ...and until every sidecar has a config that lists them all: registered is not yet routed to.
    const listingAll = cp.version;
    const admins = [...started.map(({ ports }) => ports.admin), ingressPorts.admin];
    const notRouting = (
      await Promise.all(
        admins.map(async (port) =>
          (await waitUntilReady(`http://127.0.0.1:${port}/ready?version=${listingAll}`, deadline, () => options.signal?.aborted === true))
            ? undefined
            : port,
        ),
      )
    ).filter((port) => port !== undefined);
    checkAborted();
    if (notRouting.length > 0) {
      throw new RunnerError(
        'NOT_READY',
        `the sidecars on admin ports ${notRouting.join(', ')} did not get config version ${listingAll} in time`,
      );
    }

    up = true;
    const ingressUrl = `http://127.0.0.1:${ingressPorts.outbound}`;
    const load = options.load === false ? undefined : startLoad(options.load ?? {}, replicas, ingressUrl);
    let stopped: Promise<void> | undefined;
    return {
      controlPlane: cp,
      stateDir: options.stateDir,
      logDir,
      mesh,
      instances: started.map(({ replica, ports, appProcess, sidecar }) => ({
        id: replica.id,
        namespace: replica.namespace,
        service: replica.service,
        version: replica.version,
        identity: replica.identity,
        locality: replica.locality,
        ports,
        appPid: appProcess.pid,
        sidecarPid: sidecar.pid,
        logFiles: { app: appProcess.spec.logFile, sidecar: sidecar.spec.logFile },
      })),
      ingress: {
        id: ingressLaunch.id,
        identity: ingressIdentity,
        url: ingressUrl,
        ports: ingressPorts,
      },
      entryPoints: entryPointsOf(replicas, ingressUrl, ingressAccess(loaded.set, mesh, ingressLaunch)),
      loadStats: () => load?.stats(),
      designedFailures: designedFailures(loaded.set),
      stop: () => {
        stopped ??= (async () => {
          emit({ type: 'stopping' });
          await load?.stop();
          await stopAll();
          emit({ type: 'stopped' });
        })();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    if (error instanceof RunnerError) throw error;
    throw new RunnerError('START_FAILED', (error as Error).message);
  }
}

function sidecarLaunchOf(replica: ReplicaPlan, mesh: MeshSettings): SidecarLaunch {
  return { ...replica, trustDomain: mesh.trustDomain };
}

function startLoad(
  load: { readonly ratePerSecond?: number; readonly service?: string; readonly paths?: readonly string[] },
  replicas: readonly ReplicaPlan[],
  ingressUrl: string,
): DemoLoad | undefined {
  const target = replicas.find((r) => r.service === (load.service ?? 'frontend')) ?? replicas[0];
  if (!target) return undefined;
  const demo = new DemoLoad({
    entryUrl: ingressUrl,
    service: `${target.service}.${target.namespace}`,
    paths: load.paths ?? ['/'],
    ratePerSecond: load.ratePerSecond ?? 20,
  });
  demo.start();
  return demo;
}

/** One entry per service, in the order Workloads were declared. */
