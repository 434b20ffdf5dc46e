import type { EdgeStats, LiveStatus } from '../api-types.js';
import type { ControlPlaneClient, InstanceInfo } from '../sources/control-plane.js';
import { parsePromText, type PromSample } from './prom-text.js';
import { edgeTraffic, seriesKey, WANTED_METRICS, type EdgeKey, type Scrape } from './traffic-window.js';
import { versionTraffic, type VersionStats } from './version-traffic.js';

export interface LiveView {
  readonly instances: readonly InstanceInfo[];
  /** Instances whose admin port answered the last scrape. */
  readonly reachable: ReadonlySet<string>;
  readonly traffic: ReadonlyMap<string, EdgeKey & { stats: EdgeStats }>;
  readonly status: LiveStatus;
}

export interface ScraperOptions {
  readonly intervalMs?: number;
  /** Rates and quantiles are computed over this much history. */
  readonly windowMs?: number;
}

const SCRAPE_TIMEOUT_MS = 1_500;

/**
 * Polls the control plane's registry and every sidecar's /metrics on a timer (not per dashboard
 * request, so ten open browsers cost the mesh the same as one), keeping a short history.
 */
export class LiveScraper {
  readonly #client: ControlPlaneClient;
  readonly #intervalMs: number;
  readonly #windowMs: number;
  #history: Scrape[] = [];
  #instances: InstanceInfo[] = [];
  #reachable = new Set<string>();
  #problem: string | undefined = 'waiting for the first scrape of the control plane';
  #lastAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(client: ControlPlaneClient, options: ScraperOptions = {}) {
    this.#client = client;
    this.#intervalMs = options.intervalMs ?? 2_000;
    this.#windowMs = options.windowMs ?? 10_000;
  }

  start(): void {
    const tick = () => {
      // A slow mesh must not pile up scrapes: skip a tick while the previous one runs.
      this.#running ??= this.scrapeOnce().finally(() => (this.#running = undefined));
    };
    tick();
    this.#timer = setInterval(tick, this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  async scrapeOnce(): Promise<void> {
    try {
      this.#instances = await this.#client.registry();
    } catch (error) {
      this.#problem = `cannot reach the native mesh control plane at ${this.#client.url} (${(error as Error).message}); is \`anymesh up\` running?`;
      return;
    }
    const series = new Map<string, PromSample>();
    const reachable = new Set<string>();
    await Promise.all(
      this.#instances.map(async (instance) => {
        try {
          const response = await fetch(`http://${instance.host}:${instance.adminPort}/metrics`, {
            signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
          });
          if (!response.ok) return;
          for (const sample of parsePromText(await response.text(), WANTED_METRICS)) series.set(seriesKey(instance.id, sample), sample);
          reachable.add(instance.id);
        } catch {
          // An unreachable sidecar is shown as a down instance; nothing else to do.
        }
      }),
    );
    const at = Date.now();
    this.#reachable = reachable;
    this.#history.push({ at, series });
    this.#history = this.#history.filter((s) => at - s.at <= this.#windowMs + this.#intervalMs);
    this.#lastAt = at;
    this.#problem = undefined;
  }

  /** The registry as of the last scrape (cheap: no traffic is computed). */
  get instances(): readonly InstanceInfo[] {
    return this.#instances;
  }

  /** Each version of `service` (as sidecars name it) over the window; empty before two scrapes. */
  versionStats(service: string): Map<string, VersionStats> {
    const newest = this.#history.at(-1);
    const oldest = this.#history[0];
    return newest && oldest && newest !== oldest ? versionTraffic(newest, oldest, service) : new Map();
  }

  view(): LiveView {
    const newest = this.#history.at(-1);
    const oldest = this.#history[0];
    const traffic = newest && oldest && newest !== oldest ? edgeTraffic(newest, oldest) : new Map();
    const windowSeconds = newest && oldest ? Math.round((newest.at - oldest.at) / 1000) : 0;
    return {
      instances: this.#instances,
      reachable: this.#reachable,
      traffic,
      status: {
        mode: 'live',
        problem: this.#problem,
        lastScrapeAt: this.#lastAt === undefined ? undefined : new Date(this.#lastAt).toISOString(),
        windowSeconds,
      },
    };
  }
}
