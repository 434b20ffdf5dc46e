import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './run-cli.js';

const BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'anymesh.js');

/**
 * Runs `anymesh <args> | reader` in bash, where the reader closes its end of the pipe at once and
 * then waits: the CLI (which needs over 100 ms to start) writes into a pipe nobody reads. Returns
 * the CLI's exit status and its stderr.
 */
function intoClosedPipe(args: readonly string[]): { status: number; stderr: string } {
  const script = '"$0" "$1" "${@:2}" 2>&3 | { exec 0<&-; sleep 2; }; echo "${PIPESTATUS[0]}"';
  const r = spawnSync('bash', ['-c', `exec 3>&2; ${script}`, process.execPath, BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: Number(r.stdout.trim()), stderr: r.stderr };
}

// Issue 9: `anymesh <cmd> --help | head` ended in an unhandled EPIPE and a stack trace.
describe('a reader that closes the pipe before the CLI writes', { timeout: 60_000 }, () => {
  for (const args of [['translate', '--help'], ['--help'], ['translate', 'examples/bookstore', '--mesh', 'istio']]) {
    it(`ends \`anymesh ${args.join(' ')}\` quietly with 141, as coreutils do`, () => {
      const { status, stderr } = intoClosedPipe(args);
      expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
      expect(status).toBe(141);
    });
  }
});
