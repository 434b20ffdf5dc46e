import { afterEach, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/index.js';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { instance, postJson, tempStateDir, waitFor, asAdmin } from './support.js';

const HEARTBEAT_MS = 200;

describe('control-plane instance registry', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(): Promise<ControlPlane> {
    const state = await tempStateDir();
    const cp = await startControlPlane({ stateDir: state.dir, heartbeatIntervalMs: HEARTBEAT_MS });
    cleanups.push(state.remove, () => cp.close());
    return cp;
  }

  const registry = async (cp: ControlPlane) => (await (await fetch(`${cp.url}/v1/registry`, asAdmin(cp))).json()) as InstanceInfo[];

  it('answers a registration with the heartbeat interval and lists the instance', async () => {
    const cp = await start();
    const answer = await postJson(`${cp.url}/v1/instances`, instance('reviews-v1-0'), cp.adminToken);
    expect(answer).toEqual({ status: 200, body: { heartbeatIntervalMs: HEARTBEAT_MS, configVersion: cp.version } });
    expect((await registry(cp)).map((i) => i.id)).toEqual(['reviews-v1-0']);
  });

  it('drops an instance silent for three heartbeat intervals and keeps one that heartbeats', async () => {
    const cp = await start();
    await postJson(`${cp.url}/v1/instances`, instance('alive'), cp.adminToken);
    // Heartbeats at a quarter of the interval, so a busy machine cannot make "alive" miss three.
    const heartbeat = setInterval(
      () => void postJson(`${cp.url}/v1/instances`, instance('alive'), cp.adminToken).catch(() => undefined),
      HEARTBEAT_MS / 4,
    );
    try {
      // The control plane saw the silent instance no earlier than this, so it may not drop it before 3 intervals from here.
      const sentAt = Date.now();
      await postJson(`${cp.url}/v1/instances`, instance('silent'), cp.adminToken);
      await waitFor(async () => !(await registry(cp)).some((i) => i.id === 'silent'), 5_000, 'the silent instance to drop');
      const elapsed = Date.now() - sentAt;
      expect(elapsed).toBeGreaterThanOrEqual(3 * HEARTBEAT_MS);
      expect(elapsed).toBeLessThan(3 * HEARTBEAT_MS + 1_500);
      expect((await registry(cp)).map((i) => i.id)).toEqual(['alive']);
      // Sidecars see the drop once it is persisted, a moment later.
      await waitFor(() => cp.snapshot().instances.length === 1, 1_000, 'the drop to be published');
      expect(cp.snapshot().instances.map((i) => i.id)).toEqual(['alive']);
    } finally {
      clearInterval(heartbeat);
    }
  });

  it('bumps the config version on membership changes but not on plain heartbeats', async () => {
    const cp = await start();
    const before = cp.version;
    await postJson(`${cp.url}/v1/instances`, instance('a'), cp.adminToken);
    expect(cp.version).toBe(before + 1);
    await postJson(`${cp.url}/v1/instances`, instance('a'), cp.adminToken);
    expect(cp.version).toBe(before + 1);
    await postJson(`${cp.url}/v1/instances`, instance('a', { inboundPort: 20011 }), cp.adminToken);
    expect(cp.version).toBe(before + 2);
    const deleted = await fetch(`${cp.url}/v1/instances/a`, asAdmin(cp, { method: 'DELETE' }));
    expect(deleted.status).toBe(204);
    expect(cp.version).toBe(before + 3);
    expect(await registry(cp)).toEqual([]);
  });

  it('answers 404 when deregistering an unknown instance', async () => {
    const cp = await start();
    const response = await fetch(`${cp.url}/v1/instances/nobody`, asAdmin(cp, { method: 'DELETE' }));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'UNKNOWN_INSTANCE' } });
  });
});
