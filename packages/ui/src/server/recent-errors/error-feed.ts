import { openTap, type InstanceInfo, type TapEvent, type TapSession } from '@anymesh/native-mesh';
import type { ErrorFeedStatus, FailedRequest, RecentErrorsView } from '../api-types.js';
import { failedRequestOf, isFailure, matchesQuery, ownerOf, type FailedRequestQuery } from './failed-requests.js';
import { Ring } from './ring.js';

export interface ErrorFeedOptions {
  /** How often the open streams are matched against the registry (new instances tapped, broken streams reopened); default 2 s. */
  readonly reconcileMs?: number;
  /** Failed requests kept per service; default 200. */
  readonly perService?: number;
}

/** A sidecar without `/tap` (an older build) is asked again only this often. */
const UNSUPPORTED_RETRY_MS = 30_000;

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * Keeps one tap stream open to every registered sidecar while the dashboard runs and files each
 * failed request under the service it belongs to, in a bounded ring per service: what the panels'
 * "Recent errors" lists, including errors from before the panel was opened. The sidecars never
 * wait for it (a slow reader loses requests, counted in `dropped`).
 */
export class ErrorFeed {
  readonly #instances: () => readonly InstanceInfo[];
  readonly #reconcileMs: number;
  readonly #perService: number;
  readonly #open = new Map<string, TapSession>();
  readonly #retryAt = new Map<string, number>();
  readonly #services = new Map<string, Ring<FailedRequest>>();
  #seq = 0;
  #dropped = 0;
  /** Sidecars that answered 404 to `GET /tap` (built before the tap existed). */
  readonly #withoutTap = new Set<string>();
  #since: string | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** `instances` is read on every reconcile (the live scraper's copy of the registry). */
  constructor(instances: () => readonly InstanceInfo[], options: ErrorFeedOptions = {}) {
    this.#instances = instances;
    this.#reconcileMs = options.reconcileMs ?? 2_000;
    this.#perService = options.perService ?? 200;
  }

  start(): void {
    this.#since = new Date().toISOString();
    this.reconcile();
    this.#timer = setInterval(() => this.reconcile(), this.#reconcileMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    for (const session of this.#open.values()) session.close();
    this.#open.clear();
  }

  /** Opens streams to sidecars not tapped yet and closes those of instances gone from the registry. */
  reconcile(): void {
    const instances = this.#instances();
    const wanted = new Map(instances.map((i) => [i.id, i]));
    for (const [id, session] of this.#open) {
      if (wanted.has(id)) continue;
      session.close();
      this.#open.delete(id);
    }
    const now = Date.now();
    for (const instance of instances) {
      if (this.#open.has(instance.id) || (this.#retryAt.get(instance.id) ?? 0) > now) continue;
      this.#tap(instance);
    }
  }

  #tap(instance: InstanceInfo): void {
    const target = { id: instance.id, adminUrl: `http://${hostForUrl(instance.host)}:${instance.adminPort}` };
    // The next reconcile reopens a stream that broke, if the instance is still registered.
    const forget = () => {
      session.close();
      if (this.#open.get(instance.id) === session) this.#open.delete(instance.id);
    };
    const session = openTap(
      [target],
      {},
      {
        onEvent: (event) => this.#record(event, instance),
        onError: (error) => {
          forget();
          if (/answered 404/.test(error.message)) {
            this.#retryAt.set(instance.id, Date.now() + UNSUPPORTED_RETRY_MS);
            this.#withoutTap.add(instance.id);
          }
        },
        onEnd: forget,
      },
    );
    this.#withoutTap.delete(instance.id);
    this.#open.set(instance.id, session);
  }

  #record(event: TapEvent, reporter: InstanceInfo): void {
    if (event.type === 'dropped') {
      this.#dropped += event.count;
      return;
    }
    if (!isFailure(event.code)) return;
    const owner = ownerOf(event, reporter, (name, near) => namespaceOf(this.#instances(), name, near));
    if (owner === undefined) return;
    let ring = this.#services.get(owner);
    if (!ring) this.#services.set(owner, (ring = new Ring(this.#perService)));
    ring.push(failedRequestOf(event, ++this.#seq));
  }

  status(): ErrorFeedStatus {
    const registered = this.#instances();
    const withoutTap = registered.filter((i) => this.#withoutTap.has(i.id)).map((i) => i.id);
    let problem: string | undefined;
    if (registered.length === 0) problem = 'no sidecar is registered with the control plane yet';
    else if (withoutTap.length > 0)
      problem = `${withoutTap.join(', ')} answered 404 to GET /tap (a sidecar built before the tap existed): their requests are not listed`;
    return { mode: 'tap', tapping: this.#open.size, sidecars: registered.length, since: this.#since, dropped: this.#dropped, problem };
  }

  /** The newest failed requests of `service` (`namespace/name`) that match, newest first. */
  recent(service: string, query: FailedRequestQuery): RecentErrorsView {
    const rows = this.#services.get(service)?.newest(query.limit, (r) => matchesQuery(r, query)) ?? [];
    return { feed: this.status(), rows };
  }
}

/** A bare service name's namespace: the caller's own when it has such a service, else the first that does. */
function namespaceOf(registry: readonly InstanceInfo[], service: string, near: string): string {
  const same = registry.find((i) => i.service === service && i.namespace === near);
  return (same ?? registry.find((i) => i.service === service))?.namespace ?? near;
}
