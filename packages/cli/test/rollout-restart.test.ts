import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anymesh, closedPort, Running, startControlPlane } from './rollout-support/processes.js';

const work = mkdtempSync(join(tmpdir(), 'anymesh-rollout-restart-'));
const state = join(work, 'state');
const running: { stop: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const r of running) await r.stop();
  rmSync(work, { recursive: true, force: true });
});

const ROLLOUT = `apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: reviews-v3, namespace: bookstore }
spec:
  service: reviews
  from: v1
  to: v3
  strategy:
    canary: { steps: [10, 50] }
  analysis:
    interval: 1s
    metrics: [{ name: success-rate, min: 99 }]
`;

describe('anymesh rollout status -w across a control-plane restart', { timeout: 90_000 }, () => {
  it('says once that the control plane is gone, goes on watching when it is back, and still ends with the outcome', async () => {
    const port = await closedPort();
    const first = await startControlPlane(state, port);
    running.push(first);
    const access = ['--control-plane', first.url, '--state-dir', state];
    const applied = await anymesh([
      'apply',
      '-f',
      'examples/bookstore/services.yaml',
      '-f',
      'examples/bookstore/routes.yaml',
      '--mesh',
      'native',
      ...access,
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    const file = join(work, 'rollout.yaml');
    writeFileSync(file, ROLLOUT);
    const started = await anymesh(['rollout', 'start', '-f', file, ...access]);
    expect(started.code, started.stderr).toBe(0);

    const watcher = new Running(['rollout', 'status', 'bookstore/reviews-v3', '-w', '--poll-interval', '200', ...access]);
    running.push(watcher);
    await watcher.waitFor(/^Message:/m);
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    const deadline = Date.now() + 20_000;
    while (!watcher.stderr.includes('still watching bookstore/reviews-v3')) {
      if (Date.now() > deadline) throw new Error(`no notice of the lost control plane; stderr: ${watcher.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(watcher.stderr).toContain(`anymesh: cannot reach the control plane at ${first.url}`);

    const second = await startControlPlane(state, port);
    running.push(second);
    const promoted = await anymesh(['rollout', 'promote', 'bookstore/reviews-v3', ...access]);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(await watcher.exited, `${watcher.stdout}\n${watcher.stderr}`).toBe(0);
    expect(watcher.stderr).toContain(`anymesh: the control plane at ${first.url} answers again`);
    expect(watcher.stderr.match(/still watching/g)).toHaveLength(1); // said once, not per poll
    expect(watcher.stdout).toMatch(/ {2}v1 0% v3 100% {2}promoted: promoted by user/);
  });
});
