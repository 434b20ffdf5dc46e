import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOOKSTORE_DIR } from './support/client.js';

const CLI_BIN = fileURLToPath(new URL('../../cli/bin/anymesh.js', import.meta.url));
const CLI_BUILT = existsSync(fileURLToPath(new URL('../../cli/dist/commands/dashboard.js', import.meta.url)));

function run(args: readonly string[]) {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += String(c)));
  child.stderr.on('data', (c: Buffer) => (err += String(c)));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exit, out: () => out, err: () => err };
}

describe('anymesh dashboard', () => {
  beforeAll(() => {
    // The README's install builds every package; a test that cannot run must say so, not skip.
    if (!CLI_BUILT) throw new Error("packages/cli is not built: run `npx -y pnpm@12.4.2 build` (the README's install does)");
  });

  it('prints the URL of a dashboard that serves the web app, and stops cleanly on SIGINT', async () => {
    const cli = run(['dashboard', '--port', '0', BOOKSTORE_DIR]);
    let url: string | undefined;
    // Up to 40 s: on a loaded machine loading the adapters and the policies takes a while.
    for (let i = 0; i < 400 && !url; i++) {
      url = /anymesh dashboard: (http:\/\/\S+)/.exec(cli.out())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 100));
    }
    expect(url, cli.err()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(url ?? '');
    expect(await page.text()).toContain('<div id="root">');
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
  }, 60_000);

  it('exits with a usage error for a policy directory that does not exist', async () => {
    const cli = run(['dashboard', '--port', '0', '/nonexistent/anymesh-policies']);
    expect(await cli.exit).toBe(2);
    expect(cli.err()).toContain('does not exist');
  });
});
