import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { trafficFor, type Rollout, type RolloutState, type TrafficPlan } from '@anymesh/core';
import { RolloutController } from '../../src/rollout/controller.js';
import { RolloutStore } from '../../src/rollout/store.js';
import type { MetricsProviderFactory, TrafficActuator } from '../../src/rollout/types.js';

const ROLLOUT: Rollout = {
  apiVersion: 'anymesh.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'api-v2', namespace: 'shop' },
  spec: {
    service: 'api',
    from: 'v1',
    to: 'v2',
    strategy: { canary: { steps: [10, 30, 60] } },
    analysis: { interval: '100ms', metrics: [{ name: 'success-rate', min: 99 }] },
  },
};

const HEALTHY: MetricsProviderFactory = () => ({
  startWindow: () => Promise.resolve({ finish: () => Promise.resolve({ requests: 100, values: { 'success-rate': 100 } }) }),
});

describe('the rollout controller loop (any mesh: actuator and metrics are interfaces)', () => {
  let dir: string;
  let controller: RolloutController | undefined;
  afterEach(async () => {
    await controller?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes each state to disk before it puts that state’s traffic in force, so a crash never serves more than is persisted', async () => {
    dir = await mkdtemp(join(tmpdir(), 'anymesh-rollout-order-'));
    const file = join(dir, 'shop.api-v2.json');
    const applied: { traffic: TrafficPlan; persisted: TrafficPlan }[] = [];
    const actuator: TrafficActuator = {
      apply: (rollout, traffic) => {
        const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { state: RolloutState };
        applied.push({ traffic, persisted: trafficFor(rollout, onDisk.state) });
        return Promise.resolve();
      },
      release: () => Promise.resolve(),
    };
    controller = new RolloutController({ store: await RolloutStore.open(dir), actuator, metrics: HEALTHY, tickMs: 20 });
    await controller.sync([ROLLOUT]);
    const deadline = Date.now() + 5_000;
    while (controller.status('shop', 'api-v2')?.phase !== 'promoted' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(applied.map((a) => a.traffic)).toEqual([
      { kind: 'weights', from: 90, to: 10 },
      { kind: 'weights', from: 70, to: 30 },
      { kind: 'weights', from: 40, to: 60 },
      { kind: 'weights', from: 0, to: 100 },
    ]);
    for (const a of applied) expect(a.persisted).toEqual(a.traffic);
  });

  it('resumes from the store at the same step and puts that step’s weights in force first, after a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'anymesh-rollout-order-'));
    const paused: Rollout = { ...ROLLOUT, spec: { ...ROLLOUT.spec, strategy: { canary: { steps: [10, { weight: 30, pause: {} }, 60] } } } };
    const applied: TrafficPlan[] = [];
    const actuator: TrafficActuator = { apply: (_r, t) => (applied.push(t), Promise.resolve()), release: () => Promise.resolve() };
    const first = new RolloutController({ store: await RolloutStore.open(dir), actuator, metrics: HEALTHY, tickMs: 20 });
    await first.sync([paused]);
    const deadline = Date.now() + 5_000;
    while (first.status('shop', 'api-v2')?.phase !== 'paused' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const before = first.status('shop', 'api-v2')!;
    await first.close();
    applied.length = 0;
    controller = new RolloutController({ store: await RolloutStore.open(dir), actuator, metrics: HEALTHY, tickMs: 20 });
    await controller.sync([paused]);
    expect(controller.status('shop', 'api-v2')).toMatchObject({ phase: 'paused', step: before.step, traffic: before.traffic });
    expect(applied).toEqual([{ kind: 'weights', from: 70, to: 30 }]);
    // Re-applying the same Rollout (key order aside) does not restart it.
    const { service, ...rest } = paused.spec;
    await controller.sync([{ ...paused, spec: { ...rest, service } }]);
    expect(controller.status('shop', 'api-v2')).toMatchObject({ phase: 'paused', step: 1 });
    expect(controller.events('shop', 'api-v2')!.filter((e) => e.kind === 'started')).toHaveLength(1);
  });
});
