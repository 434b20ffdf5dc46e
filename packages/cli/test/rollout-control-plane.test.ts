import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutStatus } from '@anymesh/core';
import type { RolloutEventList, RolloutList } from '@anymesh/native-mesh';
import { anymesh, Running, startControlPlane } from './rollout-support/processes.js';

/**
 * `anymesh rollout` against a real control plane running the rollout controller. No sidecar runs, so no request
 * reaches either version: every analysis interval is "no data", and the rollout moves only by the commands given
 * here. What real traffic does to a rollout is the controller's end-to-end tests' to prove.
 */
const work = mkdtempSync(join(tmpdir(), 'anymesh-rollout-cp-'));
const state = join(work, 'state');
let controlPlane: Awaited<ReturnType<typeof startControlPlane>> | undefined;
let access: string[] = [];
const watchers: Running[] = [];

const rolloutFile = (name: string, service: string, to: string) => {
  const path = join(work, `${name}.yaml`);
  writeFileSync(
    path,
    `apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: ${name}, namespace: bookstore }
spec:
  service: ${service}
  from: v1
  to: ${to}
  strategy:
    canary: { steps: [10, 50] }
  analysis:
    interval: 1s
    threshold: 2
    metrics:
      - { name: success-rate, min: 99 }
`,
  );
  return path;
};

const rollout = (...args: string[]) => anymesh(['rollout', ...args, ...access]);
const watch = (name: string, ...more: string[]) => {
  const running = new Running(['rollout', 'status', name, '-w', '--poll-interval', '200', ...more, ...access]);
  watchers.push(running);
  return running;
};

beforeAll(async () => {
  controlPlane = await startControlPlane(state);
  access = ['--control-plane', controlPlane.url, '--state-dir', state];
  const applied = await anymesh([
    'apply',
    '-f',
    'examples/bookstore/services.yaml',
    '-f',
    'examples/bookstore/routes.yaml',
    '--mesh',
    'native',
    ...access.slice(0, 2),
    '--state-dir',
    state,
  ]);
  expect(applied.code, applied.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  for (const w of watchers) await w.stop();
  await controlPlane?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('anymesh rollout against a running control plane', { timeout: 60_000 }, () => {
  it('lists no rollouts before one is started', async () => {
    const text = await rollout('list');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe('no rollouts\n');
    const json = await rollout('list', '-o', 'json');
    expect(JSON.parse(json.stdout) as RolloutList).toEqual({ rollouts: [] });
    const status = await rollout('status');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(`there is no rollout on the control plane at ${controlPlane!.url}`);
  });

  it('starts a rollout from a file at its first step and says how to watch it', async () => {
    const run = await rollout('start', '-f', rolloutFile('reviews-v3', 'reviews', 'v3'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^started bookstore\/reviews-v3: progressing at step 1\/2, v1 90% v3 10%/);
    expect(run.stderr).toContain('watch it: anymesh rollout status bookstore/reviews-v3 -w');
  });

  it('shows the status as text and as the API JSON, by name with -n or namespace/name', async () => {
    const text = await rollout('status', 'reviews-v3', '-n', 'bookstore');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Name:      bookstore/reviews-v3\n');
    expect(text.stdout).toContain('Traffic:   v1 90% v3 10%\n');
    const json = JSON.parse((await rollout('status', 'bookstore/reviews-v3', '-o', 'json')).stdout) as RolloutStatus;
    expect(json).toMatchObject({ namespace: 'bookstore', name: 'reviews-v3', service: 'reviews', steps: 2, step: 0 });
    expect(json.traffic).toEqual({ kind: 'weights', from: 90, to: 10 });
    const only = await rollout('status');
    expect(only.stdout).toContain('Name:      bookstore/reviews-v3\n');
  });

  it('says which token the control plane refused (exit 1)', async () => {
    const run = await anymesh(['rollout', 'list', '--control-plane', controlPlane!.url, '--token', 'not-the-admin-token']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/answered GET \/v1\/rollouts with 403.*the control plane refused the token given with --token/);
  });

  it('says a rollout that does not exist does not exist (exit 1)', async () => {
    const run = await rollout('status', 'bookstore/reviews-v9');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no rollout bookstore/reviews-v9 on the control plane');
  });

  it('status -w prints a no-data line per interval while no request reaches the new version, until Ctrl-C (exit 130)', async () => {
    const watcher = watch('bookstore/reviews-v3');
    await watcher.waitFor(/^\d{4}-.*no-data.*\n\d{4}-.*no-data.*\n/m);
    const lines = watcher.stdout.split('\n').filter((l) => /^\d{4}-.*no-data/.test(l)); // the live lines, not the status
    // No sidecar runs: the controller has no metric values, only the reason.
    for (const line of lines.slice(0, 2)) expect(line).toMatch(/step 1\/2 {2}v1 90% v3 10% {2}no-data: no data: .*reviews v3/);
    watcher.signal('SIGINT');
    expect(await watcher.exited).toBe(130);
    expect(watcher.stderr).toContain('stopped watching bookstore/reviews-v3; the rollout goes on');
  });

  it("refuses a command the phase does not allow with the control plane's message (exit 3)", async () => {
    const run = await rollout('resume', 'bookstore/reviews-v3');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^anymesh: cannot resume .*reviews-v3/m);
  });

  it('pauses and resumes a rollout at the same step and weights', async () => {
    const paused = await rollout('pause', 'bookstore/reviews-v3');
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/^pause: bookstore\/reviews-v3 paused at step 1\/2, v1 90% v3 10%/);
    const resumed = await rollout('resume', 'bookstore/reviews-v3', '-o', 'json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout) as RolloutStatus).toMatchObject({
      phase: 'progressing',
      step: 0,
      traffic: { kind: 'weights', from: 90, to: 10 },
    });
  });

  it('status -w ends with exit 0 once the rollout is promoted; with -o json, the status then one event a line', async () => {
    const watcher = watch('bookstore/reviews-v3');
    const json = watch('bookstore/reviews-v3', '-o', 'json');
    await watcher.waitFor(/^Message:/m);
    await json.waitFor(/^\{.*\}\n/);
    const promoted = await rollout('promote', 'bookstore/reviews-v3');
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(await watcher.exited).toBe(0);
    expect(watcher.stdout).toMatch(/ {2}v1 0% v3 100% {2}promoted: promoted by user/);
    expect(await json.exited).toBe(0);
    const [status, ...events] = json.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(status).toMatchObject({ namespace: 'bookstore', name: 'reviews-v3', phase: 'progressing' });
    expect(events.at(-1)).toMatchObject({ kind: 'promoted', phase: 'promoted', traffic: { kind: 'weights', from: 0, to: 100 } });
    expect(events.every((e) => typeof e['seq'] === 'number')).toBe(true);
  });

  it('status -w ends with exit 1 once the rollout is aborted; retry starts it again', async () => {
    const started = await rollout('start', '-f', rolloutFile('catalog-v2', 'catalog', 'v2'));
    expect(started.code, started.stderr).toBe(0);
    const watcher = watch('bookstore/catalog-v2');
    await watcher.waitFor(/^Message:/m);
    expect((await rollout('abort', 'bookstore/catalog-v2')).code).toBe(0);
    expect(await watcher.exited).toBe(1);
    expect(watcher.stdout).toMatch(/ {2}v1 100% v2 0% {2}aborted/);
    const retried = await rollout('retry', 'bookstore/catalog-v2', '-o', 'json');
    expect(retried.code, retried.stderr).toBe(0);
    expect(JSON.parse(retried.stdout) as RolloutStatus).toMatchObject({ phase: 'progressing', attempt: 2, step: 0 });
  });

  it('prints the history, oldest first, as lines and as the API JSON', async () => {
    const json = JSON.parse((await rollout('history', 'bookstore/catalog-v2', '-o', 'json')).stdout) as RolloutEventList;
    const kinds = json.events.map((e) => e.kind);
    expect(kinds[0]).toBe('started');
    expect(kinds.indexOf('aborted')).toBeGreaterThan(0);
    expect(kinds.indexOf('retried')).toBeGreaterThan(kinds.indexOf('aborted'));
    const seqs = json.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const text = await rollout('history', 'bookstore/catalog-v2');
    // The rollout goes on (a no-data event a second): the text, read later, may have more events.
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(json.events.length);
    json.events.forEach((event, i) => expect(lines[i]).toContain(`  ${event.kind}`));
  });

  it('lists both rollouts with their phases', async () => {
    const run = await rollout('list');
    expect(run.stdout).toMatch(/^bookstore\/reviews-v3 .* promoted /m);
    expect(run.stdout).toMatch(/^bookstore\/catalog-v2 .* progressing /m);
    const unnamed = await rollout('status');
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toMatch(
      /name the rollout: there are 2 \(bookstore\/(reviews-v3|catalog-v2), bookstore\/(reviews-v3|catalog-v2)\)/,
    );
  });

  it("prints the control plane's diagnostics (file, line, field) for a Rollout naming a version the service lacks", async () => {
    const path = rolloutFile('reviews-v9', 'reviews', 'v9');
    const run = await rollout('start', '-f', path);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${path}:\\d+:\\d+: error AM\\d{4}: .*\\(spec\\.to\\)$`, 'm'));
    expect(run.stderr).toContain('the control plane refused the Rollout');
  });
});
