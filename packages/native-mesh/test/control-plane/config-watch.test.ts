import { afterEach, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/index.js';
import type { ApplyResult, ConfigSnapshot } from '../../src/protocol/types.js';
import { policySources, postJson, tempStateDir, asAdmin } from './support.js';

describe('control-plane config distribution and apply', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(watchTimeoutMs = 5_000): Promise<ControlPlane> {
    const state = await tempStateDir();
    const cp = await startControlPlane({ stateDir: state.dir, watchTimeoutMs, policies: policySources(100, 0) });
    cleanups.push(state.remove, () => cp.close());
    return cp;
  }

  it('answers a watcher with the new snapshot within 1 s of an apply', async () => {
    const cp = await start();
    const before = cp.version;
    const started = Date.now();
    const watch = fetch(`${cp.url}/v1/config?after=${before}`, asAdmin(cp)).then(async (r) => ({
      at: Date.now(),
      snapshot: (await r.json()) as ConfigSnapshot,
    }));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the watch is parked
    const applyAt = Date.now();
    const applied = await postJson(`${cp.url}/v1/policies`, { sources: policySources(20, 80) }, cp.adminToken);
    const { at, snapshot } = await watch;
    expect(applied.status).toBe(200);
    expect(snapshot.version).toBe((applied.body as ApplyResult).version);
    expect(snapshot.version).toBeGreaterThan(before);
    const route = snapshot.policies.find((p) => p.kind === 'TrafficRoute');
    expect(JSON.stringify(route)).toContain('"weight":80');
    expect(at - applyAt).toBeLessThan(1_000);
    expect(at - started).toBeGreaterThanOrEqual(100); // it really waited for the change
  });

  it('answers a watcher that is already behind at once, and one that is current after the watch timeout', async () => {
    const cp = await start(300);
    const behind = await fetch(`${cp.url}/v1/config?after=0`, asAdmin(cp));
    expect(((await behind.json()) as ConfigSnapshot).version).toBe(cp.version);
    const started = Date.now();
    const current = (await (await fetch(`${cp.url}/v1/config?after=${cp.version}`, asAdmin(cp))).json()) as ConfigSnapshot;
    expect(current.version).toBe(cp.version);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('refuses an invalid policy set with diagnostics and changes nothing', async () => {
    const cp = await start();
    const before = cp.snapshot();
    const invalid = [
      { file: 'services.yaml', text: policySources()[0]!.text },
      { file: 'route.yaml', text: policySources()[1]!.text.replace('version: v2', 'version: v9') },
    ];
    const answer = await postJson(`${cp.url}/v1/policies`, { sources: invalid }, cp.adminToken);
    expect(answer.status).toBe(422);
    const result = answer.body as ApplyResult;
    expect(result.applied).toBe(false);
    expect(result.version).toBe(before.version);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'AM3002', severity: 'error', file: 'route.yaml' }));
    expect(cp.snapshot()).toEqual(before);
    const policies = (await (await fetch(`${cp.url}/v1/policies`, asAdmin(cp))).json()) as { version: number; sources: unknown };
    expect(policies).toEqual({ version: before.version, sources: policySources(100, 0) });
  });

  it('puts the mesh settings of the applied policies into the snapshot', async () => {
    const cp = await start();
    const mesh = 'apiVersion: anymesh.io/v1alpha1\nkind: Mesh\nmetadata: { name: m }\nspec: { defaultAccess: deny }\n';
    const answer = await postJson(
      `${cp.url}/v1/policies`,
      { sources: [...policySources(), { file: 'mesh.yaml', text: mesh }] },
      cp.adminToken,
    );
    expect(answer.status).toBe(200);
    expect(cp.snapshot().mesh.defaultAccess).toBe('deny');
    expect(cp.snapshot().policies.map((p) => p.kind)).toEqual(['Service', 'TrafficRoute', 'Mesh']);
  });
});
