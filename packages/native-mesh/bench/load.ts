// The benchmark's load generator: undici keep-alive pools (less client CPU than node:http, which
// matters when the generator shares 2 cores with what it measures), closed-loop and open-loop.
import { performance } from 'node:perf_hooks';
import { Pool, type Dispatcher } from 'undici';

export interface LoadResult {
  /** Successful (2xx) responses in the measured window. */
  readonly requests: number;
  /** Non-2xx answers and failed requests in the measured window. */
  readonly errors: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

export interface LoadOptions {
  readonly port: number;
  /** Host header (the service name the sidecar routes on). */
  readonly host: string;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Called when the measured window starts and ends (to sample CPU time around it). */
  readonly onWindow?: (edge: 'start' | 'end') => void;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

/** Counts requests that started (or were due) inside the measured window, whenever they end. */
class Recorder {
  readonly latencies: number[] = [];
  errors = 0;
  from = Infinity;
  to = Infinity;

  record(ok: boolean, start: number, end: number): void {
    if (start < this.from || start >= this.to) return;
    if (ok) this.latencies.push(end - start);
    else this.errors++;
  }

  result(elapsedMs: number): LoadResult {
    const sorted = this.latencies.sort((a, b) => a - b);
    return {
      requests: sorted.length,
      errors: this.errors,
      rps: (sorted.length / elapsedMs) * 1000,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      p999Ms: percentile(sorted, 0.999),
    };
  }
}

/** Sends one GET and calls `done(ok)` once the whole response has arrived (or failed). */
function send(pool: Pool, host: string, done: (ok: boolean) => void): void {
  let status = 0;
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart: () => undefined,
    onResponseStart: (_controller, statusCode) => void (status = statusCode),
    onResponseData: () => undefined,
    onResponseEnd: () => done(status >= 200 && status < 300),
    onResponseError: () => done(false),
  };
  pool.dispatch({ path: '/bench', method: 'GET', headers: { host } }, handler);
}

async function window(recorder: Recorder, options: LoadOptions): Promise<number> {
  await sleep(options.warmupMs);
  options.onWindow?.('start');
  recorder.from = performance.now();
  await sleep(options.durationMs);
  recorder.to = performance.now();
  options.onWindow?.('end');
  return recorder.to - recorder.from;
}

/**
 * Closed loop (saturation): `concurrency` keep-alive connections, each sending the next request
 * when the previous answer ends. Latency is per request, client side.
 */
export async function runClosedLoop(options: LoadOptions & { readonly concurrency: number }): Promise<LoadResult> {
  const pool = new Pool(`http://127.0.0.1:${options.port}`, { connections: options.concurrency, pipelining: 1 });
  const recorder = new Recorder();
  let stopped = false;
  let running = options.concurrency;
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const loop = () => {
    if (stopped) {
      if (--running === 0) allDone();
      return;
    }
    const start = performance.now();
    send(pool, options.host, (ok) => {
      recorder.record(ok, start, performance.now());
      loop();
    });
  };
  for (let i = 0; i < options.concurrency; i++) loop();
  const elapsed = await window(recorder, options);
  stopped = true;
  await finished;
  await pool.close();
  return recorder.result(elapsed);
}

/**
 * Open loop at a fixed rate: requests are due every 1/rate seconds whatever the answers do, and
 * latency counts from when a request was due, not when it could be sent (no coordinated
 * omission: a stall shows up in the tail instead of lowering the rate). Requests beyond
 * `maxBacklogMs` (default 2 s) worth of backlog are counted as errors instead of being queued.
 */
export async function runOpenLoop(
  options: LoadOptions & { readonly rate: number; readonly maxConnections: number; readonly maxBacklogMs?: number },
): Promise<LoadResult> {
  const pool = new Pool(`http://127.0.0.1:${options.port}`, { connections: options.maxConnections, pipelining: 1 });
  const recorder = new Recorder();
  const intervalMs = 1000 / options.rate;
  const maxInFlight = Math.max(1, Math.round((options.rate * (options.maxBacklogMs ?? 2_000)) / 1000));
  const begin = performance.now();
  let sent = 0;
  let inFlight = 0;
  let stopped = false;
  // A 1 ms timer sends every request that has come due; `due` is its scheduled time.
  const timer = setInterval(() => {
    const now = performance.now();
    while (!stopped && begin + sent * intervalMs <= now) {
      const due = begin + sent * intervalMs;
      sent++;
      // A setup slower than the rate would queue without end (and the run with it): beyond
      // `maxBacklogMs` of requests in flight, a due request counts as an error and is not sent.
      if (inFlight >= maxInFlight) {
        recorder.record(false, due, now);
        continue;
      }
      inFlight++;
      send(pool, options.host, (ok) => {
        inFlight--;
        recorder.record(ok, due, performance.now());
      });
    }
  }, 1);
  const elapsed = await window(recorder, options);
  stopped = true;
  clearInterval(timer);
  while (inFlight > 0) await sleep(5);
  await pool.close();
  // The achieved rate is the schedule's (requests due in the window), not answers per second.
  const result = recorder.result(elapsed);
  return { ...result, rps: ((result.requests + result.errors) / elapsed) * 1000 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
