import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrafficRoute } from '@anymesh/core';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/index.js';
import type { MetricsProviderFactory } from '../../src/rollout/types.js';
import { tempStateDir } from '../control-plane/support.js';
import { meshPolicies, RolloutApi, rolloutYaml } from './live-mesh.js';

/** Every window of every version: 100 requests, all answered. The analysis passes whenever it runs. */
const HEALTHY: MetricsProviderFactory = () => ({
  startWindow: () => Promise.resolve({ finish: () => Promise.resolve({ requests: 100, values: { 'success-rate': 100 } }) }),
});

const SOURCES = (() => {
  const p = meshPolicies([{ name: 'api', versions: { v1: {}, v2: {} } }]);
  return [{ file: 'services.yaml', text: p.services }];
})();

/** A webhook receiver answering `status()` to each call and remembering the bodies. */
async function webhookServer(status: () => number): Promise<{ url: string; calls: unknown[]; close: () => Promise<void> }> {
  const calls: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.statusCode = status();
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function servedSplit(cp: ControlPlane): unknown {
  const route = cp.snapshot().policies.find((p): p is TrafficRoute => p.kind === 'TrafficRoute' && p.spec.service === 'api');
  return route?.spec.rules.map((r) => r.destinations);
}

describe('rollout controller in the control plane: gates and policy changes', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function controlPlane(): Promise<{ cp: ControlPlane; api: RolloutApi }> {
    const state = await tempStateDir();
    const cp = await startControlPlane({ stateDir: state.dir, policies: SOURCES, rolloutMetrics: HEALTHY });
    cleanups.push(state.remove, () => cp.close());
    return { cp, api: new RolloutApi(cp.url, cp.adminToken) };
  }

  it('holds a rollout at its pre-rollout gate, all traffic on from, while the webhook answers non-2xx, and starts once it passes', async () => {
    let answer = 503;
    const hook = await webhookServer(() => answer);
    cleanups.push(hook.close);
    const { cp, api } = await controlPlane();
    const yaml = `${rolloutYaml('api-v2', 'api', 'v1', 'v2', '{ canary: { steps: [40] } }', '{ interval: 300ms, metrics: [{ name: success-rate, min: 99 }] }')}  webhooks: [{ name: smoke, type: pre-rollout, url: '${hook.url}' }]\n`;
    expect((await api.start(yaml)).body).toMatchObject({ started: true, status: { phase: 'waiting', traffic: { from: 100, to: 0 } } });
    const held = await api.until('api-v2', (s) => s.message.includes('smoke answered 503'), 5_000, 'told the webhook failed');
    expect(held).toMatchObject({ phase: 'waiting', step: 0 });
    // Retried every interval, still held, and sidecars are served the route without v2.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(hook.calls.length).toBeGreaterThanOrEqual(2);
    expect((await api.status('api-v2')).phase).toBe('waiting');
    expect(servedSplit(cp)).toEqual([[{ version: 'v1' }]]);
    expect(hook.calls[0]).toEqual({
      name: 'api-v2',
      namespace: 'shop',
      phase: 'waiting',
      step: 0,
      type: 'pre-rollout',
      from: 'v1',
      to: 'v2',
    });
    answer = 200;
    await api.until('api-v2', (s) => s.phase === 'promoted', 5_000, 'promoted once the gate opened');
    const kinds = (await api.events('api-v2')).map((e) => e.kind);
    expect(kinds).toEqual(['started', 'webhook-failed', 'webhook-passed', 'step', 'check-passed', 'promoted']);
  });

  it('aborts a running rollout removed from the policies and serves the authored route again', async () => {
    const { cp, api } = await controlPlane();
    const yaml = rolloutYaml(
      'api-v2',
      'api',
      'v1',
      'v2',
      '{ canary: { steps: [{ weight: 30, pause: {} }, 60] } }',
      '{ interval: 300ms, metrics: [{ name: success-rate, min: 99 }] }',
    );
    expect((await api.start(yaml)).status).toBe(200);
    await api.until('api-v2', (s) => s.phase === 'paused', 5_000, 'held by its step pause');
    expect(servedSplit(cp)).toEqual([
      [
        { version: 'v1', weight: 7 },
        { version: 'v2', weight: 3 },
      ],
    ]);
    const applied = await cp.apply(SOURCES);
    expect(applied.applied).toBe(true);
    const status = await api.status('api-v2');
    expect(status).toMatchObject({ phase: 'aborted' });
    expect((await api.events('api-v2')).at(-1)).toMatchObject({ kind: 'aborted' });
    expect(servedSplit(cp)).toEqual([[{ version: 'v1' }]]);
    // No longer driven: commands are refused, the record stays listed.
    expect((await api.command('api-v2', 'retry')).status).toBe(409);
    expect((await api.start(yaml)).body).toMatchObject({ started: true, status: { phase: 'progressing', step: 0 } });
  });
});
