import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlPlaneError, startControlPlane } from '../../src/control-plane/index.js';
import { CLI } from './live-mesh.js';
import type { Rollout, RolloutState } from '@anymesh/core';
import { RolloutError } from '../../src/rollout/errors.js';
import { RolloutStore, type RolloutRecord } from '../../src/rollout/store.js';

const ROLLOUT: Rollout = {
  apiVersion: 'anymesh.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'api-v2', namespace: 'shop' },
  spec: { service: 'api', from: 'v1', to: 'v2', strategy: { canary: { steps: [20, 50] } } },
};
const STATE = {
  phase: 'progressing',
  step: 1,
  failedChecks: 0,
  attempt: 1,
  startedAt: 1000,
  stepStartedAt: 2000,
  updatedAt: 2000,
  message: 'step 2 of 2: 50 % to v2',
} as RolloutState;

function record(nextSeq: number): RolloutRecord {
  const traffic = { kind: 'weights', from: 50, to: 50 } as const;
  const events = Array.from({ length: nextSeq - 1 }, (_, i) => ({
    seq: i + 1,
    at: 1000 + i,
    kind: 'step' as const,
    attempt: 1,
    step: 1,
    phase: 'progressing' as const,
    traffic,
    reason: 'checks passed',
  }));
  return { rollout: ROLLOUT, state: STATE, events, analysis: [], nextSeq };
}

describe('rollout store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anymesh-rollout-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('gives back after a reopen the state, events and next seq it saved, with no temp file left', async () => {
    const store = await RolloutStore.open(join(dir, 'rollouts'));
    await store.save(record(3));
    await store.save(record(4));
    const reopened = await RolloutStore.open(join(dir, 'rollouts'));
    expect(reopened.get('shop/api-v2')).toEqual(record(4));
    expect(await readdir(join(dir, 'rollouts'))).toEqual(['shop.api-v2.json']);
  });

  it('keeps only the newest 1000 events, with their seq numbers unchanged', async () => {
    const store = await RolloutStore.open(dir);
    await store.save(record(1_206));
    const events = (await RolloutStore.open(dir)).get('shop/api-v2')!.events;
    expect(events).toHaveLength(1_000);
    expect(events[0]!.seq).toBe(206);
    expect(events.at(-1)!.seq).toBe(1_205);
  });

  it('refuses a corrupt record with a typed error naming the file, instead of forgetting the rollout', async () => {
    await writeFile(join(dir, 'shop.api-v2.json'), '{"format":1,"rollout":');
    const opening = RolloutStore.open(dir);
    await expect(opening).rejects.toBeInstanceOf(RolloutError);
    await expect(opening).rejects.toMatchObject({
      code: 'STORE_INVALID',
      file: join(dir, 'shop.api-v2.json'),
      message: expect.stringContaining(`${join(dir, 'shop.api-v2.json')} is not a rollout record`),
    });
  });

  it('refuses a record whose state is missing', async () => {
    await writeFile(join(dir, 'shop.api-v2.json'), JSON.stringify({ ...record(2), format: 1, state: undefined }));
    await expect(RolloutStore.open(dir)).rejects.toMatchObject({ code: 'STORE_INVALID', message: expect.stringContaining('(state)') });
  });

  it('says which store it cannot read when the directory is a file', async () => {
    await writeFile(join(dir, 'rollouts'), 'not a directory');
    await expect(RolloutStore.open(join(dir, 'rollouts'))).rejects.toMatchObject({
      code: 'STORE_INVALID',
      message: expect.stringContaining(`cannot read the rollout store ${join(dir, 'rollouts')}`),
    });
  });

  it('keeps the control plane from starting on a corrupt record, with STATE_INVALID naming the file', async () => {
    await mkdir(join(dir, 'rollouts'));
    const file = join(dir, 'rollouts', 'shop.api-v2.json');
    await writeFile(file, 'garbage');
    const starting = startControlPlane({ stateDir: dir });
    await expect(starting).rejects.toBeInstanceOf(ControlPlaneError);
    await expect(starting).rejects.toMatchObject({ code: 'STATE_INVALID', message: expect.stringContaining(file) });
  });

  it('makes anymesh control-plane exit 1 with one line naming the corrupt file, no stack trace', async () => {
    await mkdir(join(dir, 'control-plane', 'rollouts'), { recursive: true });
    const file = join(dir, 'control-plane', 'rollouts', 'shop.api-v2.json');
    await writeFile(file, '{"format":1}');
    const run = spawnSync(process.execPath, [CLI, 'control-plane', '--state-dir', dir, '--port', '0'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`anymesh: ${file} is not a rollout record (rollout); move it away to forget that rollout`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
