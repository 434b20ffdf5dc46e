import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMesh } from '../../native-mesh/src/runner/index.js';
import { SteadyLoad } from '../../native-mesh/test/integration/steady-load.js';
import { rolloutYaml, startTestMesh } from '../../native-mesh/test/rollout/live-mesh.js';
import { anymesh, Running } from './rollout-support/processes.js';

/**
 * `anymesh rollout … -w` on a live native mesh (the controller's test mesh: control plane, a sidecar and a demo
 * app per version, steady load through the ingress): the live lines carry the measured metrics against their
 * thresholds, and the exit code is the outcome.
 */
const RATE = 40;
const ANALYSIS =
  '{ interval: 1s, threshold: 2, minRequests: 5, metrics: [{ name: success-rate, min: 99 }, { name: latency-p99, max: 2000ms }] }';
const work = mkdtempSync(join(tmpdir(), 'anymesh-rollout-live-'));

describe('anymesh rollout on a live native mesh', { timeout: 120_000 }, () => {
  let mesh: LocalMesh;
  let stop: (() => Promise<void>) | undefined;
  let access: string[] = [];
  const loads: SteadyLoad[] = [];

  beforeAll(async () => {
    ({ mesh, stop } = await startTestMesh([
      { name: 'good', versions: { v1: {}, v2: {} } },
      { name: 'bad', versions: { v1: {}, v2: { ERROR_RATE: '0.5' } } },
    ]));
    access = ['--control-plane', mesh.controlPlane.url, '--token', mesh.controlPlane.adminToken];
    for (const service of ['good', 'bad']) {
      const load = new SteadyLoad(`${mesh.ingress.url}/`, `${service}.shop`, RATE);
      loads.push(load);
      await load.waitForSamples(10, () => true);
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all(loads.map((l) => l.stop()));
    await stop?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('start -w prints each interval with its step, weights and metrics against thresholds, and exits 0 once promoted', async () => {
    const file = join(work, 'good.yaml');
    writeFileSync(file, rolloutYaml('good-v2', 'good', 'v1', 'v2', '{ canary: { steps: [20, 60] } }', ANALYSIS));
    const run = await anymesh(['rollout', 'start', '-f', file, '-w', '--poll-interval', '200', ...access], { timeoutMs: 60_000 });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const live = run.stdout.split('\n').filter((l) => /^\d{4}-/.test(l));
    const passed = (step: string, weights: string) => live.find((l) => l.includes(`step ${step}  ${weights}  check-passed  success-rate `));
    for (const [step, weights] of [
      ['1/2', 'v1 80% v2 20%'],
      ['2/2', 'v1 40% v2 60%'],
    ] as const) {
      const line = passed(step, weights);
      expect(line, live.join('\n')).toBeDefined();
      expect(line).toMatch(/success-rate \d+(\.\d+)?% >= 99%, latency-p99 \d+(\.\d+)?ms <= 2000ms: /);
    }
    expect(live.at(-1)).toMatch(/ {2}v1 0% v2 100% {2}promoted: /);
  });

  it('start -w shows the failing metric against its threshold in each interval and exits 1 once rolled back', async () => {
    const file = join(work, 'bad.yaml');
    writeFileSync(file, rolloutYaml('bad-v2', 'bad', 'v1', 'v2', '{ canary: { steps: [50, 70] } }', ANALYSIS));
    const run = await anymesh(['rollout', 'start', '-f', file, '-w', '--poll-interval', '200', ...access], { timeoutMs: 60_000 });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    const live = run.stdout.split('\n').filter((l) => /^\d{4}-/.test(l));
    expect(live[0]).toMatch(/step 1\/2 {2}v1 50% v2 50% {2}started/);
    const failed = live.filter((l) => l.includes('  check-failed  '));
    expect(failed.length, live.join('\n')).toBe(1); // threshold 2: the second failed check is the rollback
    expect(failed[0]).toMatch(
      /step 1\/2 {2}v1 50% v2 50% {2}check-failed {2}success-rate \d+(\.\d+)?% < 99% FAIL, latency-p99 \d+(\.\d+)?ms <= 2000ms: .*\(1 of 2 failed checks\)/,
    );
    expect(live.at(-1)).toMatch(/ {2}v1 100% v2 0% {2}rolled-back {2}success-rate \d+(\.\d+)?% < 99% FAIL.*: rolled back: success-rate/);
  });

  it('status -w of a rollout retried after its rollback exits 1 when it is rolled back again', async () => {
    const retried = await anymesh(['rollout', 'retry', 'shop/bad-v2', ...access]);
    expect(retried.code, retried.stderr).toBe(0);
    const watcher = new Running(['rollout', 'status', 'shop/bad-v2', '-w', '--poll-interval', '200', ...access]);
    try {
      expect(await watcher.exited, `${watcher.stdout}\n${watcher.stderr}`).toBe(1);
    } finally {
      await watcher.stop();
    }
    // Watching may start after the rollback (two 1 s intervals): then the status alone says it.
    expect(watcher.stdout).toMatch(/^Phase: {5}rolled-back {2}\(attempt 2\)$|^\d{4}-.* {2}v1 100% v2 0% {2}rolled-back /m);
    const status = await anymesh(['rollout', 'status', 'shop/bad-v2', ...access]);
    expect(status.stdout).toContain('Phase:     rolled-back  (attempt 2)\n');
  });
});
