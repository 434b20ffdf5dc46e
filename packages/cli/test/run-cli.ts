import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'anymesh.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as users do (`node packages/cli/bin/anymesh.js …`) from the repo root. */
export function runCli(args: readonly string[], input?: string): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, input, encoding: 'utf8', timeout: 110_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
