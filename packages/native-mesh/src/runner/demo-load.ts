import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';

/** Header sets the demo load cycles through, so header-matched routes (x-user-type, x-canary, x-user) get traffic too. */
export const DEMO_HEADER_VARIANTS: readonly Readonly<Record<string, string>>[] = [
  {},
  {},
  { 'x-user-type': 'internal' },
  { 'x-canary': 'yes' },
  { 'x-user': 'tester-7' },
];

export interface DemoLoadOptions {
  /** Where requests enter the mesh: a sidecar's outbound listener, e.g. `http://127.0.0.1:15001`. */
  readonly entryUrl: string;
  /** The service addressed (`Host` header). */
  readonly service: string;
  readonly paths: readonly string[];
  readonly ratePerSecond: number;
  readonly headerVariants?: readonly Readonly<Record<string, string>>[];
}

export interface DemoLoadStats {
  readonly sent: number;
  readonly succeeded: number;
  /** 5xx answers and requests that got no answer. */
  readonly failed: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Ticks not sent because too many requests were still waiting for answers. */
  readonly skipped: number;
}

const MAX_IN_FLIGHT = 200;
const REQUEST_TIMEOUT_MS = 15_000;

/** A steady open-loop load: one request every 1/rate s, not waiting for answers (bounded in flight). */
export class DemoLoad {
  readonly #options: DemoLoadOptions;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 64 });
  readonly #byStatus: Record<string, number> = {};
  #timer: NodeJS.Timeout | undefined;
  #sent = 0;
  #skipped = 0;
  #inFlight = 0;

  constructor(options: DemoLoadOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer || this.#options.ratePerSecond <= 0) return;
    this.#timer = setInterval(() => this.#fire(), 1_000 / this.#options.ratePerSecond);
  }

  /** Stops sending, lets requests in flight finish (bounded), then closes the connections. */
  async stop(drainMs = 3_000): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const deadline = Date.now() + drainMs;
    while (this.#inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    this.#agent.destroy();
  }

  stats(): DemoLoadStats {
    const byStatus = { ...this.#byStatus };
    const failed = Object.entries(byStatus).reduce(
      (n, [status, count]) => (status === 'error' || Number(status) >= 500 ? n + count : n),
      0,
    );
    const answered = Object.values(byStatus).reduce((n, c) => n + c, 0);
    return { sent: this.#sent, succeeded: answered - failed, failed, byStatus, skipped: this.#skipped };
  }

  #fire(): void {
    if (this.#inFlight >= MAX_IN_FLIGHT) {
      this.#skipped += 1;
      return;
    }
    const { entryUrl, service, paths } = this.#options;
    const variants = this.#options.headerVariants ?? DEMO_HEADER_VARIANTS;
    const n = this.#sent++;
    const path = paths[n % paths.length] ?? '/';
    const headers = { ...variants[n % variants.length], host: service, 'x-request-id': randomUUID() };
    this.#inFlight += 1;
    const done = (status: string) => {
      this.#inFlight -= 1;
      this.#count(status);
    };
    const req = request(new URL(path, entryUrl), { headers, agent: this.#agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => done(String(res.statusCode ?? 0)));
      res.on('error', () => done('error'));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done('error'));
    req.end();
  }

  #count(status: string): void {
    this.#byStatus[status] = (this.#byStatus[status] ?? 0) + 1;
  }
}
