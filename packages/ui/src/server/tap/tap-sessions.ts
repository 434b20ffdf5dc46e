import { openTap, type TapEvent, type TapSession } from '@anymesh/native-mesh';
import type { ControlPlaneClient, InstanceInfo } from '../sources/control-plane.js';

export interface TapQuery {
  readonly namespace: string;
  readonly service: string;
  readonly version?: string;
  readonly path?: string;
  /** Return events after this sequence number (the `next` of the previous answer); omit on the first poll. */
  readonly after?: number;
}

export interface TapView {
  /** The sidecars being tapped. */
  readonly instances: readonly string[];
  /** Requests (and `dropped` notices) newer than `after`, oldest first, at most the buffer's size. */
  readonly events: readonly (TapEvent & { readonly seq: number })[];
  /** Pass as `after` in the next poll. */
  readonly next: number;
  /** Why nothing is tapped, when nothing is. */
  readonly problem: string | undefined;
}

/** Events kept per tap for pollers; older ones are gone (a poller that falls behind skips them). */
export const TAP_BUFFER = 500;
/** A tap nobody polled for this long is closed. */
const IDLE_CLOSE_MS = 30_000;

interface Session {
  readonly key: string;
  readonly instances: readonly string[];
  tap: TapSession | undefined;
  readonly problem: string | undefined;
  readonly events: (TapEvent & { seq: number })[];
  seq: number;
  lastPoll: number;
}

/**
 * Live taps for the dashboard: the first poll for a service (+ version, path) opens the sidecars'
 * /tap streams (as `anymesh tap` does) and later polls read from a bounded buffer, so any number
 * of browsers cost the sidecars one stream each. Idle taps are closed.
 */
export class TapSessions {
  readonly #controlPlane: ControlPlaneClient;
  readonly #sessions = new Map<string, Promise<Session>>();
  readonly #timer: NodeJS.Timeout;

  constructor(controlPlane: ControlPlaneClient) {
    this.#controlPlane = controlPlane;
    this.#timer = setInterval(() => void this.#closeIdle(), IDLE_CLOSE_MS / 3);
    this.#timer.unref();
  }

  async poll(query: TapQuery): Promise<TapView> {
    const key = JSON.stringify([query.namespace, query.service, query.version ?? '', query.path ?? '']);
    let pending = this.#sessions.get(key);
    if (pending === undefined) {
      pending = this.#open(key, query);
      this.#sessions.set(key, pending);
    }
    const session = await pending;
    session.lastPoll = Date.now();
    // A tap that found nothing to tap is retried on the next poll (instances may have started since).
    if (session.tap === undefined) this.#sessions.delete(key);
    const after = query.after ?? -1;
    return {
      instances: session.instances,
      events: session.events.filter((e) => e.seq > after),
      next: session.seq,
      problem: session.problem,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    const sessions = await Promise.all(this.#sessions.values());
    this.#sessions.clear();
    for (const s of sessions) s.tap?.close();
  }

  async #open(key: string, query: TapQuery): Promise<Session> {
    const base = { key, events: [], seq: 0, lastPoll: Date.now() };
    let registry: InstanceInfo[];
    try {
      registry = await this.#controlPlane.registry();
    } catch (error) {
      return { ...base, instances: [], tap: undefined, problem: `cannot read the registry: ${(error as Error).message}` };
    }
    const chosen = registry.filter(
      (i) => i.namespace === query.namespace && i.service === query.service && (query.version === undefined || i.version === query.version),
    );
    if (chosen.length === 0) {
      return { ...base, instances: [], tap: undefined, problem: `no running instance of ${query.namespace}/${query.service}` };
    }
    const session: Session = { ...base, instances: chosen.map((i) => i.id), tap: undefined, problem: undefined };
    const targets = chosen.map((i) => ({ id: i.id, adminUrl: `http://${i.host.includes(':') ? `[${i.host}]` : i.host}:${i.adminPort}` }));
    session.tap = openTap(targets, query.path ? { path: query.path } : {}, {
      onEvent: (event) => {
        session.seq += 1;
        session.events.push({ ...event, seq: session.seq });
        if (session.events.length > TAP_BUFFER) session.events.splice(0, session.events.length - TAP_BUFFER);
      },
    });
    return session;
  }

  async #closeIdle(): Promise<void> {
    const now = Date.now();
    for (const [key, pending] of this.#sessions) {
      const session = await pending;
      if (now - session.lastPoll > IDLE_CLOSE_MS) {
        this.#sessions.delete(key);
        session.tap?.close();
      }
    }
  }
}
