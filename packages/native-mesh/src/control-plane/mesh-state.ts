import { namespaceOf, serviceAccountOf, type MeshSettings, type Service, type SourceText } from '@anymesh/core';
import type { ApplyResult, ConfigSnapshot, InstanceInfo } from '../protocol/types.js';
import type { ControlPlaneEvent } from './events.js';
import { effectivePolicies, type RolloutTraffic } from './effective-policies.js';
import { checkPolicies, type AcceptedPolicies } from './policy-store.js';
import { InstanceRegistry } from './registry.js';
import { StateWriter } from './state-file.js';
import { Watchers } from './watchers.js';

/**
 * The control plane's single source of truth: policies in force, live instances and the config
 * version. Every change that sidecars must see (policies, membership, an instance's data) bumps
 * the version, is persisted, and only then is published to the long-polls: a sidecar never holds
 * a version the control plane could lose in a crash and hand out again with other content.
 * Heartbeats alone change nothing.
 */
export class MeshState {
  readonly watchers = new Watchers();
  readonly #registry: InstanceRegistry;
  readonly #writer: StateWriter;
  readonly #emit: (event: ControlPlaneEvent) => void;
  #version: number;
  #policies: AcceptedPolicies;
  /** Each rollout's traffic in force, keyed `namespace/name`: sidecars get the authored routes rewritten by these. */
  readonly #rolloutTraffic = new Map<string, RolloutTraffic>();
  /** Told of each policy set put in force, before its version is published (the rollout controller starts and stops rollouts). */
  #applying: Promise<unknown> = Promise.resolve();
  #afterSwap: ((accepted: AcceptedPolicies, context: ApplyContext) => Promise<void>) | undefined;
  /** What watchers are served: the newest persisted snapshot, serialised once. */
  #published: { readonly version: number; readonly json: string };

  constructor(init: {
    version: number;
    policies: AcceptedPolicies;
    heartbeatIntervalMs: number;
    writer: StateWriter;
    emit: (event: ControlPlaneEvent) => void;
  }) {
    this.#version = init.version;
    this.#policies = init.policies;
    this.#registry = new InstanceRegistry(init.heartbeatIntervalMs);
    this.#writer = init.writer;
    this.#emit = init.emit;
    this.#published = { version: init.version, json: this.#serialise() };
  }

  /** The newest version, including a change still being persisted. */
  get version(): number {
    return this.#version;
  }

  /** The version watchers are served. */
  get publishedVersion(): number {
    return this.#published.version;
  }

  get sources(): readonly SourceText[] {
    return this.#policies.sources;
  }

  instances(): InstanceInfo[] {
    return this.#registry.list();
  }

  /** Mesh-wide settings of the policies in force. */
  get mesh(): MeshSettings {
    return this.#policies.mesh;
  }

  /**
   * The service account of a service (or of one version with its own) by the policies in force;
   * the service's name when no Service declares it. Certificates are issued for this identity only.
   */
  serviceAccountOf(namespace: string, service: string, version: string | undefined): string {
    const declared = this.#policies.policies.find(
      (p): p is Service => p.kind === 'Service' && p.metadata.name === service && namespaceOf(p) === namespace,
    );
    return declared ? serviceAccountOf(declared, version) : service;
  }

  snapshot(): ConfigSnapshot {
    return JSON.parse(this.snapshotJson()) as ConfigSnapshot;
  }

  /** The published snapshot: every watcher gets the same bytes. */
  snapshotJson(): string {
    return this.#published.json;
  }

  restoreInstances(instances: readonly InstanceInfo[], now: number): void {
    this.#registry.restore(instances, now);
  }

  register(info: InstanceInfo, now: number): void {
    const change = this.#registry.register(info, now);
    if (change === 'unchanged') return;
    this.#bump().catch(() => undefined); // persisted in the background; failures are reported as state-write-failed
    this.#emit({ type: 'instance-registered', instance: info, version: this.#version });
  }

  deregister(id: string): boolean {
    const info = this.#registry.list().find((i) => i.id === id);
    if (!info || !this.#registry.remove(id)) return false;
    this.#bump().catch(() => undefined); // persisted in the background; failures are reported as state-write-failed
    this.#emit({ type: 'instance-removed', instance: info, reason: 'deregistered', version: this.#version });
    return true;
  }

  expire(now: number): void {
    const dropped = this.#registry.expire(now);
    if (dropped.length === 0) return;
    this.#bump().catch(() => undefined); // persisted in the background; failures are reported as state-write-failed
    for (const instance of dropped) this.#emit({ type: 'instance-removed', instance, reason: 'expired', version: this.#version });
  }

  get policies(): AcceptedPolicies {
    return this.#policies;
  }

  /** Registers the one hook told of each accepted set, after the swap and before the set's version is published; it must not throw. */
  onPoliciesSwapped(hook: (accepted: AcceptedPolicies, context: ApplyContext) => Promise<void>): void {
    this.#afterSwap = hook;
  }

  /**
   * Puts a rollout's traffic plan in force (undefined: the authored route again). Like an apply,
   * the new snapshot is persisted before it is published; resolves once it is.
   */
  setRolloutTraffic(key: string, traffic: RolloutTraffic | undefined): Promise<void> {
    if (traffic) this.#rolloutTraffic.set(key, traffic);
    else if (!this.#rolloutTraffic.delete(key)) return Promise.resolve();
    return this.#bump();
  }

  /** Validates, then swaps the whole policy set in one step; on any error nothing changes. Applies run one at a time. */
  apply(sources: readonly SourceText[], context: ApplyContext = {}): Promise<ApplyResult> {
    const turn = this.#applying.then(() => this.#apply(sources, context));
    this.#applying = turn.catch(() => undefined);
    return turn;
  }

  async #apply(sources: readonly SourceText[], context: ApplyContext): Promise<ApplyResult> {
    const checked = checkPolicies(sources);
    if (!checked.ok) {
      this.#emit({ type: 'policies-refused', errors: checked.diagnostics.filter((d) => d.severity === 'error').length });
      return { applied: false, version: this.#version, diagnostics: checked.diagnostics };
    }
    this.#policies = checked.accepted;
    // Rollouts of the new set start (their routes rewritten) and removed ones are released before the
    // set's own version is published; the controller's traffic changes publish with the new set.
    await this.#afterSwap?.(checked.accepted, context);
    const persisted = this.#bump();
    // The caller is told "applied" only once the new set is on disk.
    await persisted;
    this.#emit({ type: 'policies-applied', version: this.#version, objects: checked.accepted.policies.length });
    return { applied: true, version: this.#version, diagnostics: checked.accepted.diagnostics };
  }

  /** Bumps the version without a content change: marks a restart, so reconnecting sidecars resync. */
  bumpEpoch(): Promise<void> {
    return this.#bump();
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }

  #bump(): Promise<void> {
    this.#version += 1;
    const version = this.#version;
    const json = this.#serialise();
    const publish = () => {
      if (version <= this.#published.version) return;
      this.#published = { version, json };
      this.watchers.notify(version);
    };
    const written = this.#writer.write({ configVersion: version, sources: this.#policies.sources, instances: this.#registry.list() });
    return written.then(publish, (error: unknown) => {
      // A broken disk must not freeze the mesh: publish anyway, and say the state is not durable.
      this.#emit({ type: 'state-write-failed', message: (error as Error).message });
      publish();
      throw error;
    });
  }

  #serialise(): string {
    return JSON.stringify({
      version: this.#version,
      mesh: this.#policies.mesh,
      policies: effectivePolicies(this.#policies, this.#rolloutTraffic),
      instances: this.#registry.list(),
    } satisfies ConfigSnapshot);
  }
}

export interface ApplyContext {
  /** Rollouts (`namespace/name`) to start again from the first step even when unchanged (`POST /v1/rollouts`). */
  readonly restartRollouts?: ReadonlySet<string>;
}
