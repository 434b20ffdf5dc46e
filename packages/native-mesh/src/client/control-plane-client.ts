import type { ConfigSource } from '../protocol/sidecar.js';
import type { ConfigSnapshot, InstanceInfo, RegisterResponse } from '../protocol/types.js';
import { Backoff, sleep } from './backoff.js';
import { controlPlaneFetch, type ControlPlaneAuth, type ControlPlaneFetch } from './control-plane-auth.js';

/** What the client reports (the `proxy` command logs these). */
export type ClientEvent =
  | { readonly type: 'connected' }
  | { readonly type: 'disconnected'; readonly reason: string }
  | { readonly type: 'snapshot'; readonly version: number }
  /** The control plane answered the registration with a 4xx: the instance description is wrong (retried slowly). */
  | { readonly type: 'registration-refused'; readonly reason: string };

export interface ControlPlaneClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:15000`. */
  readonly url: string;
  /** The instance to register and heartbeat; omit to only watch config (dashboards, tools). */
  readonly instance?: InstanceInfo;
  /** Backoff while the control plane is unreachable. Default 100 ms doubling to 2 s. */
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  readonly onEvent?: (event: ClientEvent) => void;
  /** Credentials: a sidecar's certificate (`tls`), or the admin token for tools. */
  readonly auth?: ControlPlaneAuth;
}

/** Long-polls are held ~25 s by the control plane; give up on one that has been silent much longer. */
const WATCH_REQUEST_TIMEOUT_MS = 40_000;
const REQUEST_TIMEOUT_MS = 3_000;

/**
 * A sidecar's ConfigSource backed by the control plane: registers and heartbeats the instance,
 * long-polls for config, and keeps the last good snapshot while the control plane is down,
 * retrying with backoff. When it returns, the next heartbeat re-registers the instance and the
 * next poll resyncs (any version other than ours is taken, so a reset control plane is followed too).
 */
export class ControlPlaneClient implements ConfigSource {
  readonly #fetch: ControlPlaneFetch;
  readonly #closeFetch: () => Promise<void>;
  readonly #options: ControlPlaneClientOptions;
  readonly #stop = new AbortController();
  readonly #listeners: ((snapshot: ConfigSnapshot) => void)[] = [];
  #snapshot: ConfigSnapshot | undefined;
  #connected: boolean | undefined;
  #loops: Promise<void>[] | undefined;

  constructor(options: ControlPlaneClientOptions) {
    ({ fetch: this.#fetch, close: this.#closeFetch } = controlPlaneFetch(options.url, options.auth));
    this.#options = options;
  }

  /** The last snapshot received, kept while the control plane is unreachable. */
  get snapshot(): ConfigSnapshot | undefined {
    return this.#snapshot;
  }

  get connected(): boolean {
    return this.#connected === true;
  }

  /** Starts the loops on first use; calls back at once with the snapshot in hand, if any. */
  subscribe(onSnapshot: (snapshot: ConfigSnapshot) => void): void {
    this.#listeners.push(onSnapshot);
    if (this.#snapshot) onSnapshot(this.#snapshot);
    this.start();
  }

  start(): void {
    if (this.#loops || this.#stop.signal.aborted) return;
    this.#loops = [this.#watchLoop()];
    if (this.#options.instance) this.#loops.push(this.#heartbeatLoop(this.#options.instance));
  }

  /** Stops polling and deregisters the instance (best effort: the control plane may be gone). */
  async close(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort();
    await Promise.all(this.#loops ?? []);
    const instance = this.#options.instance;
    if (instance && this.#loops) {
      await this.#fetch(`/v1/instances/${encodeURIComponent(instance.id)}`, {
        method: 'DELETE',
        signal: AbortSignal.timeout(500),
      }).catch(() => undefined);
    }
    await this.#closeFetch().catch(() => undefined);
  }

  async #watchLoop(): Promise<void> {
    const backoff = this.#backoff();
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      try {
        const after = this.#snapshot === undefined ? '' : `?after=${this.#snapshot.version}`;
        const response = await this.#fetch(`/v1/config${after}`, {
          signal: AbortSignal.any([signal, AbortSignal.timeout(WATCH_REQUEST_TIMEOUT_MS)]),
        });
        if (!response.ok) throw new Error(`GET /v1/config answered ${response.status}`);
        const snapshot = (await response.json()) as ConfigSnapshot;
        this.#setConnected(true);
        backoff.reset();
        if (snapshot.version !== this.#snapshot?.version) this.#deliver(snapshot);
      } catch (error) {
        if (signal.aborted) return;
        this.#setConnected(false, (error as Error).message);
        await sleep(backoff.next(), signal);
      }
    }
  }

  async #heartbeatLoop(instance: InstanceInfo): Promise<void> {
    const backoff = this.#backoff();
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      let wait: number;
      try {
        const response = await this.#fetch('/v1/instances', {
          method: 'POST',
          body: JSON.stringify(instance),
          signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        });
        if (response.status >= 400 && response.status < 500) {
          const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
          const reason = `${response.status} ${body.error?.code ?? ''}: ${body.error?.message ?? 'no reason given'}`;
          this.#options.onEvent?.({ type: 'registration-refused', reason });
          await sleep(this.#options.retryMaxMs ?? 2_000, signal);
          continue;
        }
        if (!response.ok) throw new Error(`POST /v1/instances answered ${response.status}: ${await response.text()}`);
        const answer = (await response.json()) as RegisterResponse;
        backoff.reset();
        wait = answer.heartbeatIntervalMs;
      } catch (error) {
        if (signal.aborted) return;
        this.#setConnected(false, (error as Error).message);
        wait = backoff.next();
      }
      await sleep(wait, signal);
    }
  }

  #deliver(snapshot: ConfigSnapshot): void {
    this.#snapshot = snapshot;
    this.#options.onEvent?.({ type: 'snapshot', version: snapshot.version });
    for (const listener of this.#listeners) listener(snapshot);
  }

  #setConnected(connected: boolean, reason = ''): void {
    if (this.#connected === connected) return;
    this.#connected = connected;
    this.#options.onEvent?.(connected ? { type: 'connected' } : { type: 'disconnected', reason });
  }

  #backoff(): Backoff {
    return new Backoff(this.#options.retryInitialMs ?? 100, this.#options.retryMaxMs ?? 2_000);
  }
}
