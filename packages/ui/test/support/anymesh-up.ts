import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI_BIN = fileURLToPath(new URL('../../../cli/bin/anymesh.js', import.meta.url));
const BOOKSTORE = fileURLToPath(new URL('../../../../examples/bookstore/', import.meta.url));

export interface RunningUp {
  readonly dashboardUrl: string;
  readonly controlPlaneUrl: string;
  /** The copy of the bookstore `up` runs from; tests may read it to check nothing changed. */
  readonly policyDir: string;
  stop(): Promise<void>;
}

/**
 * Runs the real `anymesh up` (control plane, every bookstore Workload with its sidecar, demo
 * load, dashboard) on free ports from a temporary copy of examples/bookstore, and reads the
 * dashboard and control-plane URLs from the table it prints.
 */
export async function startAnymeshUp(timeoutMs = 90_000): Promise<RunningUp> {
  if (!existsSync(CLI_BIN.replace(/bin\/anymesh\.js$/, 'dist/main.js'))) {
    throw new Error('the anymesh CLI is not built: run `pnpm install` (or `pnpm -r build`) first');
  }
  const work = await mkdtemp(join(tmpdir(), 'anymesh-up-'));
  const policyDir = join(work, 'bookstore');
  await cp(BOOKSTORE, policyDir, { recursive: true });
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI_BIN, 'up', policyDir, '--port', '0', '--dashboard-port', '0', '--state-dir', join(work, 'state'), '--rate', '20'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += String(c)));
  child.stderr?.on('data', (c: Buffer) => (err += String(c)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(work, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dashboard = /dashboard\s+(http:\/\/\S+)/.exec(out)?.[1];
    const controlPlane = /control plane\s+(http:\/\/\S+)/.exec(out)?.[1];
    if (dashboard && controlPlane) return { dashboardUrl: dashboard, controlPlaneUrl: controlPlane, policyDir, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`anymesh up did not print its dashboard URL (exit ${String(child.exitCode)}):\n${out}\n${err}`);
}
