import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/index.js';
import { startApp, type TestApp } from '../proxy/support/app.js';
import { SERVICES_YAML, tempStateDir, waitFor } from './support.js';

const CLI = fileURLToPath(new URL('../../../cli/bin/anymesh.js', import.meta.url));
const TIMEOUT_MS = 90_000;
const STRICT_MESH = `---
apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: mesh }
spec: { mtls: { mode: strict } }
`;
const REVIEWS_SA = 'spiffe://cluster.local/ns/shop/sa/reviews';

/** Runs the CLI without blocking this process's event loop (the control plane under test runs here). */
function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('anymesh join-token: a sidecar started by hand joins a strict-mTLS mesh', () => {
  let cp: ControlPlane | undefined;
  let proxy: ChildProcess | undefined;
  let app: TestApp | undefined;
  let removeDir: (() => Promise<void>) | undefined;
  afterEach(async () => {
    if (proxy && proxy.exitCode === null) {
      const exited = new Promise((resolve) => proxy!.once('exit', resolve));
      proxy.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (proxy.exitCode === null) proxy.kill('SIGKILL');
    }
    proxy = undefined;
    await app?.close();
    await cp?.close();
    await removeDir?.();
  });

  it(
    "prints the token of the sidecar's own identity with the trust bundle, refuses without the admin token",
    async () => {
      const state = await tempStateDir();
      removeDir = state.remove;
      // `--state-dir` names the anymesh state directory; the control plane keeps its files in <it>/control-plane.
      const stateDir = state.dir;
      cp = await startControlPlane({
        stateDir: join(stateDir, 'control-plane'),
        policies: [{ file: 'mesh.yaml', text: SERVICES_YAML + STRICT_MESH }],
      });

      const refused = await runCli(
        ['join-token', 'reviews', '-n', 'shop', '--control-plane', cp.url, '--state-dir', join(state.dir, 'none')],
        {
          ANYMESH_TOKEN: '',
        },
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/answered 401/);

      const caFile = join(state.dir, 'mesh-ca.crt');
      const asked = await runCli([
        'join-token',
        'reviews',
        '-n',
        'shop',
        '--service-version',
        'v1',
        '--control-plane',
        cp.url,
        '--state-dir',
        stateDir,
        '--ca-out',
        caFile,
        '-o',
        'json',
      ]);
      expect(asked.stderr).toBe('');
      expect(asked.code).toBe(0);
      const answer = JSON.parse(asked.stdout) as { identity: string; token: string };
      expect(answer).toEqual({ identity: REVIEWS_SA, token: cp.joinToken(REVIEWS_SA) });

      // The user story: start the sidecar by hand with that token and bundle; it gets its certificate and registers.
      app = await startApp('reviews-v1');
      proxy = spawn(
        process.execPath,
        [CLI, 'proxy', '--service', 'reviews', '--namespace', 'shop', '--service-version', 'v1', '--app-port', String(app.port)].concat([
          '--control-plane',
          cp.url,
          '--ca-file',
          caFile,
        ]),
        { env: { ...process.env, ANYMESH_JOIN_TOKEN: answer.token }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      proxy.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      proxy.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      await waitFor(() => cp!.instances().length === 1 || proxy!.exitCode !== null, 60_000, 'the hand-started sidecar to register');
      expect(proxy.exitCode, output).toBeNull();
      expect(cp.instances()[0]).toMatchObject({ service: 'reviews', version: 'v1', identity: REVIEWS_SA });
    },
    TIMEOUT_MS,
  );
});
