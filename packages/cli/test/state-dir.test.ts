import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './run-cli.js';

const BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'anymesh.js');

/** Runs the CLI asynchronously (the control plane runs in this same test). */
function anymesh(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ANYMESH_TOKEN: '', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('--state-dir means the anymesh state directory for every command', { timeout: 90_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'anymesh-state-'));
  const state = join(work, 'state');
  let controlPlane: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    controlPlane = spawn(process.execPath, [BIN, 'control-plane', '--state-dir', state, '--port', '0'], { cwd: REPO_ROOT });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      controlPlane!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = /^(http:\/\/\S+)\n/m.exec(out);
        if (line) resolve(line[1]!);
      });
      controlPlane!.on('exit', (code) => reject(new Error(`control-plane exited ${code}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (controlPlane && controlPlane.exitCode === null) {
      const exited = new Promise((resolve) => controlPlane!.once('exit', resolve));
      controlPlane.kill('SIGTERM');
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('control-plane keeps its files in <state-dir>/control-plane, where anymesh up keeps them', () => {
    expect(existsSync(join(state, 'control-plane', 'admin-token'))).toBe(true);
    expect(existsSync(join(state, 'admin-token'))).toBe(false);
  });

  it('apply and join-token find the admin token with the same --state-dir the control plane was given', async () => {
    const applied = await anymesh([
      'apply',
      '-f',
      'examples/bookstore/services.yaml',
      '--mesh',
      'native',
      '--control-plane',
      url,
      '--state-dir',
      state,
    ]);
    expect(applied.stderr).toContain('applied');
    expect(applied.code).toBe(0);
    const token = await anymesh(['join-token', 'reviews', '-n', 'bookstore', '--control-plane', url, '--state-dir', state]);
    expect(token.code).toBe(0);
    expect(token.stdout).toContain('export ANYMESH_JOIN_TOKEN=');
  });

  it('without a token, names the file it looked for and does not tell the user to pass the --state-dir they passed', async () => {
    const elsewhere = join(work, 'elsewhere');
    const run = await anymesh([
      'apply',
      '-f',
      'examples/bookstore/services.yaml',
      '--mesh',
      'native',
      '--control-plane',
      url,
      '--state-dir',
      elsewhere,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(elsewhere, 'control-plane', 'admin-token')} does not exist`);
    expect(run.stderr).not.toContain('pass --state-dir');
    expect(run.stderr).toContain('check that the control plane was started with this --state-dir');
  });

  it("says that the token read from another state directory's file was refused, naming that file", async () => {
    const other = join(work, 'other');
    mkdirSync(join(other, 'control-plane'), { recursive: true });
    writeFileSync(join(other, 'control-plane', 'admin-token'), 'an-older-token\n');
    const run = await anymesh(['tap', 'reviews', '--control-plane', url, '--state-dir', other]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('answered 403');
    expect(run.stderr).toContain(`refused the token read from ${join(other, 'control-plane', 'admin-token')}`);
  });
});
