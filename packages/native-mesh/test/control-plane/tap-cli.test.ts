import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlPlaneClient } from '../../src/client/index.js';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/index.js';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { startSidecar, type ProxySidecar } from '../../src/proxy/index.js';
import { freePort } from '../../src/runner/index.js';
import { send, eventually } from '../access/harness.js';
import { startApp, type TestApp } from '../proxy/support/app.js';
import { instance, SERVICES_YAML, tempStateDir } from './support.js';

const CLI = fileURLToPath(new URL('../../../cli/bin/anymesh.js', import.meta.url));

describe('anymesh tap', () => {
  const sidecars: ProxySidecar[] = [];
  const apps: TestApp[] = [];
  let cp: ControlPlane | undefined;
  let removeDir: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await Promise.all(sidecars.splice(0).map((s) => s.close()));
    await Promise.all(apps.splice(0).map((a) => a.close()));
    await cp?.close();
    await removeDir?.();
  });

  async function startInstance(info: InstanceInfo): Promise<ProxySidecar> {
    const app = await startApp(info.id);
    apps.push(app);
    // Plaintext sidecars (no identity) register with the admin token; mTLS is not what this test is about.
    const config = new ControlPlaneClient({ url: cp!.url, instance: info, auth: { token: cp!.adminToken } });
    const sidecar = await startSidecar({ instance: info, appPort: app.port, outboundPort: 0, config });
    sidecars.push(sidecar);
    return sidecar;
  }

  it("streams the live requests of one version's sidecars, found through the control plane registry, filtered by path", async () => {
    const state = await tempStateDir();
    removeDir = state.remove;
    cp = await startControlPlane({ stateDir: join(state.dir, 'cp') });
    await cp.apply([{ file: 'services.yaml', text: SERVICES_YAML }]);
    for (const v of ['v1', 'v2'])
      await startInstance(instance(`reviews-${v}-0`, { version: v, inboundPort: await freePort(), adminPort: await freePort() }));
    const client = await startInstance(
      instance('client-0', { service: 'client', inboundPort: await freePort(), adminPort: await freePort() }),
    );
    await eventually(() => expect(cp!.instances()).toHaveLength(3));
    await eventually(async () => expect((await send(client.outboundPort, 'reviews', '/books/1')).status).toBe(200));

    const tap = spawn(
      process.execPath,
      [
        CLI,
        'tap',
        'shop/reviews',
        '--service-version',
        'v2',
        '--path',
        '/books',
        '--max-count',
        '2',
        '-o',
        'json',
        '--control-plane',
        cp.url,
        '--token',
        cp.adminToken,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    tap.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    tap.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => tap.on('exit', (code) => resolve(code)));
    try {
      await eventually(() => expect(stderr).toContain('tapping reviews-v2-0'), 30_000);
      let exitCode: number | null | undefined;
      void exited.then((code) => (exitCode = code));
      // Keep calling (paths in and out of the filter, three per round so round-robin sends /books to
      // both versions) until tap has seen two /books requests to v2.
      for (let i = 0; exitCode === undefined && i < 400; i++) {
        await send(client.outboundPort, 'reviews', i % 3 === 2 ? '/other' : `/books/${i}`);
        if (i > 20) await new Promise((r) => setTimeout(r, 20));
      }
      expect(exitCode, `tap did not stop after 400 requests: ${stderr}`).toBe(0);
    } finally {
      tap.kill();
    }
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({ type: 'request', sidecar: 'reviews-v2-0', destination: 'reviews', destination_version: 'v2' });
      expect(e.path).toMatch(/^\/books\//);
    }
  }, 90_000);

  it('says which versions run when the asked one has no instance, with exit code 1', async () => {
    const state = await tempStateDir();
    removeDir = state.remove;
    cp = await startControlPlane({ stateDir: join(state.dir, 'cp') });
    await cp.apply([{ file: 'services.yaml', text: SERVICES_YAML }]);
    await startInstance(instance('reviews-v1-0', { inboundPort: await freePort(), adminPort: await freePort() }));
    await eventually(() => expect(cp!.instances()).toHaveLength(1));
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [CLI, 'tap', 'reviews', '--service-version', 'v9', '--control-plane', cp!.url], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ANYMESH_TOKEN: cp!.adminToken },
      });
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no running instance of */reviews version v9 in the registry (versions running: v1)');
  }, 60_000);
});
