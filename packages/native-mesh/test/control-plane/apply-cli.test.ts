import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/index.js';
import { freePort } from '../../src/runner/index.js';
import { policySources, tempStateDir } from './support.js';

const CLI = fileURLToPath(new URL('../../../cli/bin/anymesh.js', import.meta.url));
let stateDir: string | undefined;

/** Runs the CLI; the admin token comes from `--state-dir` (<dir>/control-plane/admin-token) unless `env` says otherwise. */
function anymesh(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const withState = args[0] === 'apply' && stateDir && !args.includes('--state-dir') ? [...args, '--state-dir', stateDir] : args;
    execFile(process.execPath, [CLI, ...withState], { timeout: 20_000, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('anymesh apply --mesh native', () => {
  let cp: ControlPlane;
  let dir: string;
  let removeDir: () => Promise<void>;
  beforeAll(async () => {
    const state = await tempStateDir();
    dir = state.dir;
    removeDir = state.remove;
    stateDir = dir;
    cp = await startControlPlane({ stateDir: join(dir, 'control-plane') });
    for (const source of policySources(50, 50)) await writeFile(join(dir, source.file), source.text);
    await writeFile(join(dir, 'broken.yaml.txt'), policySources()[1]!.text.replace('version: v2', 'version: v7'));
  });
  afterAll(async () => {
    await cp.close();
    await removeDir();
  });

  it('applies valid policies and prints the new config version', async () => {
    const before = cp.version;
    const run = await anymesh([
      'apply',
      '-f',
      join(dir, 'services.yaml'),
      '-f',
      join(dir, 'route.yaml'),
      '--mesh',
      'native',
      '--control-plane',
      cp.url,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`config version ${cp.version}`);
    expect(cp.version).toBe(before + 1);
    expect(JSON.stringify(cp.snapshot().policies)).toContain('"weight":50');
  });

  it('refuses invalid policies locally with validate-style diagnostics and exit code 1, changing nothing', async () => {
    const before = cp.version;
    const run = await anymesh([
      'apply',
      '-f',
      join(dir, 'services.yaml'),
      '-f',
      join(dir, 'broken.yaml.txt'),
      '--mesh',
      'native',
      '--control-plane',
      cp.url,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/broken\.yaml\.txt:\d+:\d+: error AM3002: .*\(spec\.rules\[0\]\.destinations\[1\]\.version\)/);
    expect(cp.version).toBe(before);
  });

  it('is refused by the control plane with a wrong admin token (exit 1), and names the fix without one', async () => {
    const url = ['--control-plane', cp.url];
    const wrong = await anymesh(['apply', '-f', join(dir, 'services.yaml'), '--mesh', 'native', ...url], {
      ANYMESH_TOKEN: 'not-the-token',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('answered 403');
    const none = await anymesh([
      'apply',
      '-f',
      join(dir, 'services.yaml'),
      '--mesh',
      'native',
      ...url,
      '--state-dir',
      join(dir, 'nowhere'),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no admin token');
  }, 60_000);

  it('says which control plane it could not reach, with exit code 1 and no stack trace', async () => {
    const port = await freePort();
    const run = await anymesh([
      'apply',
      '-f',
      join(dir, 'services.yaml'),
      '--mesh',
      'native',
      '--control-plane',
      `http://127.0.0.1:${port}`,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach the control plane at http://127.0.0.1:${port}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('is a usage error (exit 2) without --mesh or with a mesh it cannot apply to', async () => {
    expect((await anymesh(['apply', '-f', join(dir, 'services.yaml')])).code).toBe(2);
    const istio = await anymesh(['apply', '-f', join(dir, 'services.yaml'), '--mesh', 'istio']);
    expect(istio.code).toBe(2);
    expect(istio.stderr).toContain('--mesh native');
  });
});
