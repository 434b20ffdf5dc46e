import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { percentile, runClosedLoop, runOpenLoop } from '../../bench/load.js';

// Smoke test of the benchmark's load generator (the benchmark itself is not part of the suite):
// what it counts must agree with what a real server saw.
describe('benchmark load generator', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve).closeAllConnections());
    server = undefined;
  });

  /** A server answering 500 to every fifth request, counting what it answered. */
  async function start(): Promise<{ port: number; answered: () => { ok: number; failed: number } }> {
    let ok = 0;
    let failed = 0;
    server = createServer((req, res) => {
      req.resume();
      const fail = (ok + failed) % 5 === 4;
      if (fail) failed++;
      else ok++;
      res.writeHead(fail ? 500 : 200, { 'content-length': 2 });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, answered: () => ({ ok, failed }) };
  }

  it('counts every answer of a closed loop without warm-up as a success or an error, as the server answered them', async () => {
    const { port, answered } = await start();
    const result = await runClosedLoop({ port, host: 'reviews', durationMs: 1_000, warmupMs: 0, concurrency: 4 });
    const seen = answered();
    // Requests started after the window closed (at most one per connection) are sent but not counted.
    expect(result.requests + result.errors).toBeGreaterThan(seen.ok + seen.failed - 4 - 1);
    expect(result.requests + result.errors).toBeLessThanOrEqual(seen.ok + seen.failed);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.errors / (result.requests + result.errors)).toBeCloseTo(0.2, 1);
    expect(result.p50Ms).toBeLessThanOrEqual(result.p99Ms);
    expect(result.p99Ms).toBeLessThanOrEqual(result.p999Ms);
  }, 30_000);

  it('sends a fixed-rate open loop at the requested rate, counting requests due in the window', async () => {
    const { port } = await start();
    const result = await runOpenLoop({ port, host: 'reviews', durationMs: 1_000, warmupMs: 200, rate: 200, maxConnections: 8 });
    // 200 requests are due in the 1 s window; the window's edges fall between two due times.
    expect(result.requests + result.errors).toBeGreaterThanOrEqual(199);
    expect(result.requests + result.errors).toBeLessThanOrEqual(202);
  }, 30_000);

  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(500);
    expect(percentile(sorted, 0.99)).toBe(990);
    expect(percentile(sorted, 0.999)).toBe(999);
    expect(percentile([], 0.5)).toBeNaN();
  });
});
