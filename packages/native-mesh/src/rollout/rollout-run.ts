import {
  advance,
  durationMs,
  DEFAULTS,
  trafficFor,
  type MetricSample,
  type PlanOutcome,
  type Rollout,
  type RolloutInput,
  type TrafficPlan,
  type WebhookType,
} from '@anymesh/core';
import type { RolloutRecord, RolloutStore } from './store.js';
import type {
  Clock,
  MetricsProvider,
  MetricsWindow,
  RolloutTransition,
  RolloutTrouble,
  SyntheticLoadFactory,
  SyntheticLoadHandle,
  TrafficActuator,
} from './types.js';
import type { WebhookCaller } from './webhooks.js';

export interface RunDeps {
  readonly store: RolloutStore;
  readonly actuator: TrafficActuator;
  readonly metrics: MetricsProvider;
  readonly clock: Clock;
  readonly webhooks: WebhookCaller;
  readonly syntheticLoad: SyntheticLoadFactory | undefined;
  /** How often timed pauses, deadlines and blue/green scale-down are checked. */
  readonly tickMs: number;
  readonly onTransition: (transition: RolloutTransition) => void;
  readonly onTrouble: (trouble: RolloutTrouble) => void;
}

interface Windows {
  readonly from: Promise<MetricsWindow>;
  readonly to: Promise<MetricsWindow>;
}

const FINAL = new Set(['promoted', 'rolled-back', 'aborted']);

/**
 * One rollout being driven: every `analysis.interval` the windows of both versions end and feed
 * the planner; between intervals, ticks (timed pauses, deadlines, scale-down), commands and webhook
 * answers. Inputs are handled one at a time; each outcome is persisted before its traffic is put in
 * force, so a restart never serves less than was served before it.
 */
export class RolloutRun {
  #record: RolloutRecord;
  readonly #deps: RunDeps;
  readonly #intervalMs: number;
  #queue: Promise<unknown> = Promise.resolve();
  #windows: Windows | undefined;
  #stopTimers: (() => void)[] = [];
  #synthetic: SyntheticLoadHandle | undefined;
  #gateInFlight = false;
  #applied: string | undefined;
  #closed = false;

  constructor(record: RolloutRecord, deps: RunDeps) {
    this.#record = record;
    this.#deps = deps;
    this.#intervalMs = durationMs(record.rollout.spec.analysis?.interval ?? DEFAULTS.rolloutInterval);
  }

  get record(): RolloutRecord {
    return this.#record;
  }

  get rollout(): Rollout {
    return this.#record.rollout;
  }

  /** Puts the persisted state's traffic in force and starts the loop (after a restart: resumes). */
  async start(): Promise<void> {
    await this.#applyTraffic(trafficFor(this.rollout, this.#record.state));
    this.#schedule();
    this.#callGateIfWaiting();
  }

  /** Feeds one input (built when its turn comes, so `now` is current) and commits the outcome. */
  input(build: (now: number) => RolloutInput): Promise<PlanOutcome> {
    const turn = this.#queue.then(() => this.#commit(advance(this.rollout, this.#record.state, build(this.#deps.clock.now()))));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /** Stops the loop (timers, windows, synthetic load); the record stays as it is. */
  async stop(): Promise<void> {
    this.#closed = true;
    this.#unschedule();
    this.#windows = undefined;
    await this.#queue;
    await this.#stopSynthetic();
  }

  async #commit(outcome: PlanOutcome): Promise<PlanOutcome> {
    if (outcome.refused !== undefined) return outcome;
    const before = this.#record;
    const changed = JSON.stringify(outcome.state) !== JSON.stringify(before.state);
    if (!changed && outcome.events.length === 0 && outcome.point === undefined) return outcome;
    const newAttempt = outcome.state.attempt !== before.state.attempt;
    const events = outcome.events.map((e, i) => ({ ...e, seq: before.nextSeq + i }));
    const next: RolloutRecord = {
      rollout: before.rollout,
      state: outcome.state,
      events: [...before.events, ...events],
      analysis: [...(newAttempt ? [] : before.analysis), ...(outcome.point ? [outcome.point] : [])],
      nextSeq: before.nextSeq + events.length,
    };
    // Reported (status, events) only once on disk and in force: what a client saw survives a crash,
    // and a status saying "promoted" means sidecars are being served the promoted route.
    await this.#deps.store.save(next).catch((error: unknown) => this.#trouble((error as Error).message));
    await this.#applyTraffic(outcome.traffic);
    this.#record = next;
    for (const event of events) this.#deps.onTransition({ ...this.#who(), event });
    for (const type of outcome.notify) void this.#notify(type);
    if (outcome.point?.verdict === 'no-data') this.#startSyntheticIfAsked();
    if (newAttempt) this.#windows = undefined;
    this.#schedule();
    this.#callGateIfWaiting();
    return outcome;
  }

  async #applyTraffic(traffic: TrafficPlan): Promise<void> {
    const json = JSON.stringify(traffic);
    if (json === this.#applied) return;
    try {
      await this.#deps.actuator.apply(this.rollout, traffic);
      this.#applied = json;
    } catch (error) {
      this.#trouble(`cannot put ${describe(traffic)} in force: ${(error as Error).message}`);
    }
  }

  /** Timers run while the rollout can still change by itself: not final, or blue/green's old version not yet released. */
  #schedule(): void {
    if (this.#closed) return;
    const state = this.#record.state;
    const live = !FINAL.has(state.phase) || state.scaleDownAt !== undefined;
    if (!live) {
      this.#unschedule();
      this.#windows = undefined;
      void this.#stopSynthetic();
      return;
    }
    if (this.#stopTimers.length > 0) return;
    this.#windows = this.#startWindows();
    this.#stopTimers = [
      this.#deps.clock.every(this.#intervalMs, () => void this.#onInterval()),
      this.#deps.clock.every(this.#deps.tickMs, () => void this.input((now) => ({ kind: 'tick', now })).catch(() => undefined)),
    ];
  }

  #unschedule(): void {
    for (const stop of this.#stopTimers) stop();
    this.#stopTimers = [];
  }

  async #onInterval(): Promise<void> {
    const phase = this.#record.state.phase;
    const ended = this.#windows;
    this.#windows = this.#startWindows();
    if (phase === 'waiting') return this.#callGateIfWaiting(true);
    if (phase !== 'progressing') return this.#stopSynthetic();
    if (ended === undefined) return;
    const [from, to] = await Promise.all([
      ended.from.then((w) => w.finish()).catch((): MetricSample => ({ requests: 0, values: {} })),
      ended.to.then((w) => w.finish()).catch((error: unknown) => ({ error: (error as Error).message })),
    ]);
    if (this.#closed) return;
    await this.input((now) => ({ kind: 'analysis', now, from, to })).catch((error: unknown) => this.#trouble((error as Error).message));
  }

  #startWindows(): Windows {
    const { service, from, to } = this.rollout.spec;
    const namespace = this.rollout.metadata.namespace ?? 'default';
    const start = (version: string) => {
      const window = this.#deps.metrics.startWindow({ namespace, service, version });
      window.catch(() => undefined); // a window dropped unfinished (pause, stop) must not be an unhandled rejection
      return window;
    };
    return { from: start(from), to: start(to) };
  }

  /** A gate (pre-rollout, confirm-promotion) waits for its webhooks; called at once, then every interval until they pass. */
  #callGateIfWaiting(retry = false): void {
    const state = this.#record.state;
    const type = state.pendingWebhook;
    if (this.#closed || state.phase !== 'waiting' || type === undefined || this.#gateInFlight) return;
    if (!retry && this.#record.events.at(-1)?.kind === 'webhook-failed') return; // the interval retries it
    this.#gateInFlight = true;
    void this.#deps
      .webhooks(this.rollout, state, type)
      .then((result) => this.input((now) => ({ kind: 'webhook', now, type, ok: result.ok, detail: result.detail })))
      .catch((error: unknown) => this.#trouble((error as Error).message))
      .finally(() => {
        this.#gateInFlight = false;
      });
  }

  async #notify(type: WebhookType): Promise<void> {
    const result = await this.#deps.webhooks(this.rollout, this.#record.state, type);
    if (!result.ok) this.#trouble(`${type} webhook: ${result.detail}`);
  }

  #startSyntheticIfAsked(): void {
    if (this.#synthetic || !this.rollout.spec.analysis?.syntheticLoad || !this.#deps.syntheticLoad) return;
    this.#synthetic = this.#deps.syntheticLoad(this.rollout);
  }

  async #stopSynthetic(): Promise<void> {
    const running = this.#synthetic;
    this.#synthetic = undefined;
    await running?.stop().catch(() => undefined);
  }

  #who(): Omit<RolloutTransition, 'event'> {
    const { service, from, to } = this.rollout.spec;
    return { namespace: this.rollout.metadata.namespace ?? 'default', name: this.rollout.metadata.name, service, from, to };
  }

  #trouble(message: string): void {
    this.#deps.onTrouble({ namespace: this.#who().namespace, name: this.#who().name, message });
  }
}

function describe(traffic: TrafficPlan): string {
  switch (traffic.kind) {
    case 'weights':
      return `weights ${traffic.from}/${traffic.to}`;
    case 'cohort':
      return 'the A/B cohort route';
    case 'preview':
      return 'the preview route';
  }
}
