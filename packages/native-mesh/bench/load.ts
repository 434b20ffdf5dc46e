import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Closed-loop load: `concurrency` keep-alive connections each sending the next request when the
 * previous answer ends, for `durationMs` after a warm-up. Latency is per request, client side.
 */
export async function runLoad(port: number, host: string, concurrency: number, durationMs: number, warmupMs: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let recording = false;
  let stopped = false;
  const one = () =>
    new Promise<void>((resolve) => {
      const start = performance.now();
      const req = request({ agent, host: '127.0.0.1', port, path: '/bench', headers: { host } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (recording) {
            if (res.statusCode === 200) latencies.push(performance.now() - start);
            else errors++;
          }
          resolve();
        });
      });
      req.on('error', () => {
        if (recording) errors++;
        resolve();
      });
      req.end();
    });
  const worker = async () => {
    while (!stopped) await one();
  };
  const workers = Array.from({ length: concurrency }, worker);
  await new Promise((r) => setTimeout(r, warmupMs));
  recording = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  recording = false;
  const elapsed = performance.now() - start;
  stopped = true;
  await Promise.all(workers);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { requests: latencies.length, errors, rps: (latencies.length / elapsed) * 1000, p50Ms: q(0.5), p99Ms: q(0.99) };
}
