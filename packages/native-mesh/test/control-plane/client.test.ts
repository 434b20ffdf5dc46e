import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlPlaneClient, type ClientEvent } from '../../src/client/index.js';
import { ADMIN_TOKEN_FILE, startControlPlane, type ControlPlane } from '../../src/control-plane/index.js';
import type { ConfigSnapshot } from '../../src/protocol/types.js';
import { instance, policySources, tempStateDir, waitFor } from './support.js';

describe('control-plane client (a sidecar ConfigSource)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('registers, receives snapshots and keeps the last one while the control plane is down, then resyncs', async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    let cp: ControlPlane = await startControlPlane({ stateDir: state.dir, heartbeatIntervalMs: 100, policies: policySources(100, 0) });
    cleanups.push(() => cp.close());
    const port = cp.port;
    const events: ClientEvent['type'][] = [];
    const client = new ControlPlaneClient({
      url: cp.url,
      auth: { token: cp.adminToken },
      instance: instance('reviews-v1-0'),
      retryInitialMs: 20,
      retryMaxMs: 200,
      onEvent: (e) => events.push(e.type),
    });
    cleanups.push(() => client.close());
    const seen: ConfigSnapshot[] = [];
    client.subscribe((s) => seen.push(s));

    await waitFor(() => seen.some((s) => s.instances.some((i) => i.id === 'reviews-v1-0')), 5_000, 'own registration in a snapshot');
    const lastGood = client.snapshot!;

    await cp.close();
    await waitFor(() => events.includes('disconnected'), 5_000, 'the client to notice');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.snapshot).toBe(lastGood); // the last good snapshot is kept, not cleared

    // The control plane returns on the same port with new policies; the client resyncs.
    cp = await startControlPlane({ stateDir: state.dir, port, heartbeatIntervalMs: 100 });
    await cp.apply(policySources(0, 100));
    await waitFor(() => client.snapshot !== undefined && client.snapshot.version === cp.version, 8_000, 'the resync');
    expect(client.snapshot!.version).toBeGreaterThan(lastGood.version);
    expect(JSON.stringify(client.snapshot!.policies)).toContain('"weight":100');
    expect(client.connected).toBe(true);
    expect(events.filter((e) => e === 'connected').length).toBeGreaterThanOrEqual(2);
  });

  it('re-registers with a control plane that lost its state', async () => {
    const first = await tempStateDir();
    cleanups.push(first.remove);
    let cp = await startControlPlane({ stateDir: first.dir, heartbeatIntervalMs: 100 });
    const port = cp.port;
    const client = new ControlPlaneClient({
      url: cp.url,
      auth: { token: cp.adminToken },
      instance: instance('ratings-0'),
      retryInitialMs: 20,
      retryMaxMs: 200,
    });
    cleanups.push(() => client.close());
    client.subscribe(() => undefined);
    await waitFor(() => cp.instances().length === 1, 5_000, 'registration');
    await cp.close();

    const fresh = await tempStateDir();
    cleanups.push(fresh.remove);
    // Its policies and registry are gone; the admin token the client holds is what an operator would restore.
    await copyFile(join(first.dir, ADMIN_TOKEN_FILE), join(fresh.dir, ADMIN_TOKEN_FILE));
    cp = await startControlPlane({ stateDir: fresh.dir, port, heartbeatIntervalMs: 100 });
    cleanups.push(() => cp.close());
    expect(cp.instances()).toEqual([]);
    await waitFor(() => cp.instances().some((i) => i.id === 'ratings-0'), 8_000, 're-registration');
    // A reset control plane counts versions from 1 again; the client follows it rather than waiting for a higher one.
    await waitFor(() => client.snapshot?.version === cp.version, 8_000, 'the client to follow the reset version');
  });

  it('deregisters on close so the instance leaves the registry at once', async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    const cp = await startControlPlane({ stateDir: state.dir, heartbeatIntervalMs: 1_000 });
    cleanups.push(() => cp.close());
    const client = new ControlPlaneClient({ url: cp.url, auth: { token: cp.adminToken }, instance: instance('catalog-0') });
    client.subscribe(() => undefined);
    await waitFor(() => cp.instances().length === 1, 5_000, 'registration');
    await client.close();
    expect(cp.instances()).toEqual([]);
  });

  it('reports a registration the control plane refuses instead of flapping between connected and disconnected', async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    const cp = await startControlPlane({ stateDir: state.dir });
    cleanups.push(() => cp.close());
    const events: ClientEvent[] = [];
    const client = new ControlPlaneClient({
      url: cp.url,
      auth: { token: cp.adminToken },
      instance: instance('Bad Id!'),
      retryMaxMs: 100,
      onEvent: (e) => events.push(e),
    });
    cleanups.push(() => client.close());
    client.subscribe(() => undefined);
    await waitFor(() => events.some((e) => e.type === 'registration-refused'), 5_000, 'the refusal');
    const refusal = events.find((e) => e.type === 'registration-refused');
    expect(refusal).toMatchObject({ reason: expect.stringContaining('id "Bad Id!"') as unknown });
    expect(events.some((e) => e.type === 'disconnected')).toBe(false);
    expect(cp.instances()).toEqual([]);
  });
});
