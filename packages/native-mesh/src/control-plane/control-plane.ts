import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { durationMs, type Rollout } from '@anymesh/core';
import type { CertificateAuthority, SuppliedRoot } from '../identity/index.js';
import type { AddressInfo } from 'node:net';
import type { SourceText } from '@anymesh/core';
import type { ApplyResult, ConfigSnapshot, InstanceInfo } from '../protocol/types.js';
import { ControlPlaneError } from './errors.js';
import type { ControlPlaneEvent } from './events.js';
import { MeshState } from './mesh-state.js';
import { checkPolicies, EMPTY_POLICIES, type AcceptedPolicies } from './policy-store.js';
import { RolloutController } from '../rollout/controller.js';
import { RolloutError } from '../rollout/errors.js';
import { defaultMetricsFactory } from '../rollout/metrics-factory.js';
import { NativeTrafficActuator } from '../rollout/native-actuator.js';
import { nativeSyntheticLoad } from '../rollout/native-synthetic-load.js';
import { RolloutStore } from '../rollout/store.js';
import type { MetricsProviderFactory, SyntheticLoadFactory } from '../rollout/types.js';
import { rolloutRoutes } from './rollout-routes.js';
import { createRoutes } from './routes.js';
import { readState, StateWriter } from './state-file.js';
import { loadOrCreateCredentials } from './security/credentials.js';
import { serveTlsToo } from './security/tls-port.js';

export interface ControlPlaneOptions {
  /** Where policies and the config version are persisted (created if missing). */
  readonly stateDir: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: nothing listens beyond this machine unless asked. */
  readonly host?: string;
  /** Trust domain of the CA made on first start. Default: the Mesh's `trustDomain` in the policies at start, else `cluster.local`. */
  readonly trustDomain?: string;
  /** A root CA to make the mesh's CA an intermediate of (first start only); default: a self-signed root. */
  readonly caRoot?: SuppliedRoot;
  /** Lifetime of workload certificates; default `Mesh.spec.mtls.workloadCertTTL` (24 h). */
  readonly workloadCertTtlMs?: number;
  /** Default 1000 ms; an instance silent for 3 intervals is dropped. */
  readonly heartbeatIntervalMs?: number;
  /** How long a long-poll is held before answering with the unchanged snapshot. Default 25 s. */
  readonly watchTimeoutMs?: number;
  /** Policies to put in force at start (`-f`), replacing the persisted ones; refused with diagnostics when invalid. */
  readonly policies?: readonly SourceText[];
  /** Keep the instances registered before a restart (default true); the local runner, which starts every instance itself, says false. */
  readonly restoreInstances?: boolean;
  readonly onEvent?: (event: ControlPlaneEvent) => void;
  /** Where rollouts get their metrics. Default: the sidecars' own metrics (Prometheus when a Rollout asks for it). */
  readonly rolloutMetrics?: MetricsProviderFactory;
  /** Synthetic load for rollouts that ask for it. Default: requests through the mesh to the new version. */
  readonly rolloutSyntheticLoad?: SyntheticLoadFactory;
}

export interface ControlPlane {
  /** `http://host:port`: admin tools with the token. The same port speaks TLS (`https://`) for sidecars. */
  readonly url: string;
  readonly trustDomain: string;
  /** The admin API token (also in `<stateDir>/admin-token`, mode 0600). */
  readonly adminToken: string;
  /** The mesh trust bundle (PEM), also in `<stateDir>/trust-bundle.crt`. */
  readonly caBundle: string;
  /** The join token for a sidecar of `spiffeId`: good for a first certificate of that identity only. */
  joinToken(spiffeId: string): string;
  readonly port: number;
  readonly version: number;
  snapshot(): ConfigSnapshot;
  instances(): InstanceInfo[];
  apply(sources: readonly SourceText[]): Promise<ApplyResult>;
  /** The rollout controller running inside this control plane. */
  readonly rollouts: RolloutController;
  /** Stops listening, ends long-polls and open connections, and waits for the state to be written. */
  close(): Promise<void>;
}

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
export const DEFAULT_WATCH_TIMEOUT_MS = 25_000;
const WARM_UP_DOCUMENT = 'apiVersion: anymesh.io/v1alpha1\nkind: Mesh\nmetadata: { name: warm-up }\nspec: {}\n';

/**
 * Starts the native-mesh control plane: restores the persisted state (a restart starts at a higher
 * version than it stopped at), applies `policies` if given, and serves the HTTP API.
 */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const emit = options.onEvent ?? (() => undefined);
  const persisted = await readState(options.stateDir);
  const restored = persisted ? restorePolicies(persisted.sources) : EMPTY_POLICIES;
  const writer = new StateWriter(options.stateDir);
  const state = new MeshState({ version: persisted?.configVersion ?? 0, policies: restored, heartbeatIntervalMs, writer, emit });
  // Instances known before the restart keep a fresh lease, so sidecars are not told "no endpoints"
  // while they have not yet heartbeated to the new process.
  if (options.restoreInstances !== false) state.restoreInstances(persisted?.instances ?? [], Date.now());
  let ca: CertificateAuthority | undefined;
  const rollouts = await startRolloutController(state, options, emit, () => ca);
  const serve = async () => {
    await state.bumpEpoch();
    if (options.policies) {
      const result = await state.apply(options.policies);
      if (!result.applied) throw new ControlPlaneError('POLICIES_INVALID', 'the policies given at start are invalid', result.diagnostics);
    }

    // Core compiles its schema validators on first use (about a second); pay that now rather than
    // in the first apply, which sidecars are waiting on.
    if (!persisted && !options.policies) checkPolicies([{ file: '<warm-up>', text: WARM_UP_DOCUMENT }]);

    const trustDomain = options.trustDomain ?? state.mesh.trustDomain;
    const credentials = await loadOrCreateCredentials(options.stateDir, trustDomain, options.caRoot).catch((error: unknown) => {
      throw new ControlPlaneError('STATE_INVALID', `cannot set up the CA and tokens in ${options.stateDir}: ${(error as Error).message}`);
    });
    ca = credentials.ca;
    const server = createServer(
      createRoutes(state, {
        heartbeatIntervalMs,
        watchTimeoutMs: options.watchTimeoutMs ?? DEFAULT_WATCH_TIMEOUT_MS,
        now: Date.now,
        credentials,
        workloadCertTtlMs: () => options.workloadCertTtlMs ?? durationMs(state.mesh.workloadCertTTL),
        extraRoutes: rolloutRoutes(state, rollouts),
      }),
    );
    server.keepAliveTimeout = 30_000;
    serveTlsToo(server, credentials);
    await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    return { server, credentials };
  };
  // A start that fails after the controller began must not leave its timers running.
  const { server, credentials } = await serve().catch(async (error: unknown) => {
    await rollouts.close();
    throw error;
  });
  const sweep = setInterval(() => state.expire(Date.now()), Math.max(50, heartbeatIntervalMs / 2));
  sweep.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    trustDomain: credentials.ca.trustDomain,
    adminToken: credentials.adminToken,
    caBundle: credentials.ca.bundlePem,
    joinToken: credentials.joinToken,
    get version() {
      return state.version;
    },
    snapshot: () => state.snapshot(),
    instances: () => state.instances(),
    apply: (sources) => state.apply(sources),
    rollouts,
    close: () => {
      closing ??= (async () => {
        clearInterval(sweep);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        state.watchers.releaseAll();
        server.closeAllConnections();
        await closed;
        await rollouts.close();
        await state.flush();
      })();
      return closing;
    },
  };
}

/**
 * The rollout controller, driving the Rollouts of every policy set put in force. Rollouts persisted
 * before a restart resume here, before the first snapshot is served: their routes are in force again
 * at the same step.
 */
async function startRolloutController(
  state: MeshState,
  options: ControlPlaneOptions,
  emit: (event: ControlPlaneEvent) => void,
  ca: () => CertificateAuthority | undefined,
): Promise<RolloutController> {
  const dir = join(options.stateDir, 'rollouts');
  const store = await RolloutStore.open(dir).catch((error: unknown) => {
    if (error instanceof RolloutError) throw new ControlPlaneError('STATE_INVALID', error.message, { file: error.file });
    throw error;
  });
  const controller = new RolloutController({
    store,
    actuator: new NativeTrafficActuator(state),
    metrics: options.rolloutMetrics ?? defaultMetricsFactory(() => state.instances()),
    syntheticLoad:
      options.rolloutSyntheticLoad ??
      nativeSyntheticLoad(state, ca, (rollout, message) =>
        emit({ type: 'rollout-trouble', namespace: rollout.metadata.namespace ?? 'default', name: rollout.metadata.name, message }),
      ),
    onTransition: (transition) => emit({ type: 'rollout', ...transition }),
    onTrouble: (trouble) => emit({ type: 'rollout-trouble', ...trouble }),
  });
  const rolloutsOf = (policies: AcceptedPolicies) => policies.policies.filter((p): p is Rollout => p.kind === 'Rollout');
  state.onPoliciesSwapped((accepted, context) => controller.sync(rolloutsOf(accepted), context.restartRollouts));
  await controller.sync(rolloutsOf(state.policies));
  return controller;
}

function restorePolicies(sources: readonly SourceText[]): AcceptedPolicies {
  const checked = checkPolicies(sources);
  // The texts were valid when applied; a newer anymesh may judge them differently. Refuse to start
  // rather than serve a set that differs from what was applied.
  if (!checked.ok) throw new ControlPlaneError('STATE_INVALID', 'the persisted policies no longer validate', checked.diagnostics);
  return checked.accepted;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(new ControlPlaneError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${error.code ?? error.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
