import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlPlaneError, startControlPlane } from '../../src/control-plane/index.js';
import { stateFilePath } from '../../src/control-plane/state-file.js';
import { instance, policySources, postJson, tempStateDir, asAdmin } from './support.js';

describe('control-plane state across restarts', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('restores the same policies at a higher version after a restart', async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    const first = await startControlPlane({ stateDir: state.dir });
    const applied = await first.apply(policySources(30, 70));
    expect(applied.applied).toBe(true);
    const before = first.snapshot();
    await first.close();

    const second = await startControlPlane({ stateDir: state.dir });
    cleanups.push(() => second.close());
    expect(second.version).toBeGreaterThan(before.version);
    expect(second.snapshot().policies).toEqual(before.policies);
    const policies = (await (await fetch(`${second.url}/v1/policies`, asAdmin(second))).json()) as { sources: unknown };
    expect(policies.sources).toEqual(policySources(30, 70));
  });

  it('keeps instances registered before a restart until they miss three heartbeats', async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    const first = await startControlPlane({ stateDir: state.dir, heartbeatIntervalMs: 100 });
    await postJson(`${first.url}/v1/instances`, instance('reviews-v1-0'), first.adminToken);
    await first.close();
    const second = await startControlPlane({ stateDir: state.dir, heartbeatIntervalMs: 100 });
    cleanups.push(() => second.close());
    expect(second.instances().map((i) => i.id)).toEqual(['reviews-v1-0']);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(second.instances()).toEqual([]);
  });

  it('writes the state file atomically with no temp file left behind', async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    const cp = await startControlPlane({ stateDir: state.dir });
    await cp.apply(policySources());
    await cp.close();
    const saved = JSON.parse(await readFile(stateFilePath(state.dir), 'utf8')) as { configVersion: number; sources: unknown[] };
    expect(saved.configVersion).toBe(cp.version);
    expect(saved.sources).toHaveLength(2);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(state.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to start on a corrupt state file instead of silently starting empty', async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    await writeFile(stateFilePath(state.dir), '{"format": 1, "configVersion": "x"');
    await expect(startControlPlane({ stateDir: state.dir })).rejects.toThrow(ControlPlaneError);
    await expect(startControlPlane({ stateDir: state.dir })).rejects.toMatchObject({ code: 'STATE_INVALID' });
  });

  it('refuses to start with invalid policies given at start, reporting their diagnostics', async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    const bad = [{ file: 'route.yaml', text: policySources()[1]!.text }];
    await expect(startControlPlane({ stateDir: state.dir, policies: bad })).rejects.toMatchObject({
      code: 'POLICIES_INVALID',
      details: expect.arrayContaining([expect.objectContaining({ code: 'AM3001' })]) as unknown,
    });
  });

  it('publishes a version to watchers only once it is on disk, so a crash cannot hand it out again with other content', async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    const cp = await startControlPlane({ stateDir: state.dir });
    cleanups.push(() => cp.close());
    for (let i = 0; i < 5; i++) {
      const watch = fetch(`${cp.url}/v1/config?after=${cp.version}`, asAdmin(cp)).then(async (r) => {
        const snapshot = (await r.json()) as { version: number };
        const saved = JSON.parse(await readFile(stateFilePath(state.dir), 'utf8')) as { configVersion: number };
        return { served: snapshot.version, onDisk: saved.configVersion };
      });
      await postJson(`${cp.url}/v1/instances`, instance(`i-${i}`), cp.adminToken);
      const { served, onDisk } = await watch;
      expect(onDisk).toBeGreaterThanOrEqual(served);
    }
  });
});
