import { startRollout, statusOf, type Rollout, type RolloutCommand, type RolloutEvent, type RolloutStatus } from '@anymesh/core';
import { RolloutRun } from './rollout-run.js';
import { rolloutKey, type RolloutRecord, type RolloutStore } from './store.js';
import {
  SYSTEM_CLOCK,
  type Clock,
  type MetricsProviderFactory,
  type RolloutTransition,
  type RolloutTrouble,
  type SyntheticLoadFactory,
  type TrafficActuator,
} from './types.js';
import { callWebhooks, type WebhookCaller } from './webhooks.js';

export interface RolloutControllerOptions {
  readonly store: RolloutStore;
  readonly actuator: TrafficActuator;
  readonly metrics: MetricsProviderFactory;
  readonly clock?: Clock;
  readonly webhooks?: WebhookCaller;
  readonly syntheticLoad?: SyntheticLoadFactory;
  /** Default 250 ms. */
  readonly tickMs?: number;
  readonly onTransition?: (transition: RolloutTransition) => void;
  readonly onTrouble?: (trouble: RolloutTrouble) => void;
}

const ACTIVE: ReadonlySet<string> = new Set(['progressing', 'paused', 'waiting']);

export type CommandResult =
  | { readonly done: true; readonly status: RolloutStatus }
  | { readonly done: false; readonly phase: RolloutStatus['phase']; readonly message: string };

/**
 * Drives every rollout of the policies in force, whatever mesh the actuator and the metrics
 * provider talk to. `sync` is called with the Rollouts of each policy set put in force: a new
 * Rollout (or one whose spec changed) starts, one that disappeared is aborted and its traffic
 * released, the others go on where they were, also after a restart (state comes from the store).
 */
export class RolloutController {
  readonly #options: RolloutControllerOptions;
  readonly #clock: Clock;
  readonly #runs = new Map<string, RolloutRun>();
  #syncing: Promise<unknown> = Promise.resolve();

  constructor(options: RolloutControllerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
  }

  /**
   * Makes the rollouts driven equal to `rollouts`. Keys in `restart` start again from the first step
   * even when unchanged and finished (an explicit `POST /v1/rollouts`). Resolves once each new state is
   * persisted and its traffic in force.
   */
  sync(rollouts: readonly Rollout[], restart: ReadonlySet<string> = new Set()): Promise<void> {
    const turn = this.#syncing.then(() => this.#sync(rollouts, restart));
    this.#syncing = turn.catch(() => undefined);
    return turn;
  }

  list(): RolloutStatus[] {
    return this.#options.store
      .list()
      .map((record) => this.#statusOf(record))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  }

  status(namespace: string, name: string): RolloutStatus | undefined {
    const record = this.#recordOf(namespace, name);
    return record && this.#statusOf(record);
  }

  /** Events with `seq > after`, oldest first; undefined for an unknown rollout. */
  events(namespace: string, name: string, after = 0): RolloutEvent[] | undefined {
    return this.#recordOf(namespace, name)?.events.filter((e) => e.seq > after);
  }

  /** Undefined when no such rollout is driven now (unknown, or no longer in the policies). */
  async command(namespace: string, name: string, command: RolloutCommand): Promise<CommandResult | undefined> {
    const run = this.#runs.get(rolloutKey(namespace, name));
    if (!run) return undefined;
    const outcome = await run.input((now) => ({ kind: 'command', now, command }));
    if (outcome.refused !== undefined) return { done: false, phase: outcome.state.phase, message: outcome.refused };
    return { done: true, status: this.#statusOf(run.record) };
  }

  async close(): Promise<void> {
    await this.#syncing;
    await Promise.all([...this.#runs.values()].map((run) => run.stop()));
    this.#runs.clear();
    await this.#options.store.flush();
  }

  async #sync(rollouts: readonly Rollout[], restart: ReadonlySet<string>): Promise<void> {
    const wanted = new Map(rollouts.map((r) => [keyOf(r), r]));
    for (const [key, run] of [...this.#runs]) {
      const next = wanted.get(key);
      if (next && sameSpec(next, run.rollout) && !restart.has(key)) continue;
      this.#runs.delete(key);
      await run.stop();
      // Gone from the policies: abort a running one (a finished one stays as it ended), then hand the route back.
      if (!next) {
        if (ACTIVE.has(run.record.state.phase)) await run.input((now) => ({ kind: 'command', now, command: 'abort' }));
        await this.#options.actuator.release(run.rollout).catch((error: unknown) => this.#trouble(run.rollout, error));
      }
    }
    for (const [key, rollout] of wanted) {
      if (this.#runs.has(key)) continue;
      const stored = this.#options.store.get(key);
      const resume = stored && sameSpec(stored.rollout, rollout) && !restart.has(key);
      const record = resume ? stored : await this.#begin(rollout, stored);
      const run = new RolloutRun(record, {
        store: this.#options.store,
        actuator: this.#options.actuator,
        metrics: this.#options.metrics(rollout),
        clock: this.#clock,
        webhooks: this.#options.webhooks ?? callWebhooks,
        syntheticLoad: this.#options.syntheticLoad,
        tickMs: this.#options.tickMs ?? 250,
        onTransition: (t) => this.#options.onTransition?.(t),
        onTrouble: (t) => this.#options.onTrouble?.(t),
      });
      this.#runs.set(key, run);
      await run.start();
    }
  }

  /** A new run: the first state and its `started` event, persisted before any traffic moves. */
  async #begin(rollout: Rollout, previous: RolloutRecord | undefined): Promise<RolloutRecord> {
    const first = startRollout(rollout, this.#clock.now());
    const nextSeq = previous?.nextSeq ?? 1;
    const events = first.events.map((e, i) => ({
      ...e,
      seq: nextSeq + i,
      ...(previous ? { reason: `${e.reason} (again; it was ${previous.state.phase})` } : {}),
    }));
    const record: RolloutRecord = {
      rollout,
      state: first.state,
      events: [...(previous?.events ?? []), ...events],
      analysis: [],
      nextSeq: nextSeq + events.length,
    };
    await this.#options.store.save(record).catch((error: unknown) => this.#trouble(rollout, error));
    for (const event of events) this.#options.onTransition?.({ ...whoOf(rollout), event });
    return record;
  }

  #recordOf(namespace: string, name: string): RolloutRecord | undefined {
    const key = rolloutKey(namespace, name);
    return this.#runs.get(key)?.record ?? this.#options.store.get(key);
  }

  #statusOf(record: RolloutRecord): RolloutStatus {
    return statusOf(record.rollout, record.state, record.analysis);
  }

  #trouble(rollout: Rollout, error: unknown): void {
    this.#options.onTrouble?.({ ...whoOf(rollout), message: (error as Error).message });
  }
}

function keyOf(rollout: Rollout): string {
  return rolloutKey(rollout.metadata.namespace ?? 'default', rollout.metadata.name);
}

function whoOf(rollout: Rollout): Omit<RolloutTransition, 'event'> {
  const { service, from, to } = rollout.spec;
  return { namespace: rollout.metadata.namespace ?? 'default', name: rollout.metadata.name, service, from, to };
}

/** Same spec regardless of key order (a reformatted file is the same rollout). */
function sameSpec(a: Rollout, b: Rollout): boolean {
  return canonical(a.spec) === canonical(b.spec);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
