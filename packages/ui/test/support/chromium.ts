import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { findTool, type RequiredTool } from '../../../native-mesh/test/support/required-tool.js';

/** .ci/run installs it; anywhere else a missing Chromium fails the browser suites unless ANYMESH_SKIP_BROWSER=1. */
export const CHROMIUM: RequiredTool = {
  name: 'Chromium',
  pathVariable: 'CHROMIUM_PATH',
  defaultPaths: ['/usr/bin/chromium'],
  install: 'apt-get install -y chromium',
  optOut: 'ANYMESH_SKIP_BROWSER',
};

/** The flags this workplace's sandbox needs, exactly; a fresh profile is added per launch. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

async function devToolsPort(profile: string, child: ChildProcess): Promise<number> {
  const file = join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`chromium exited with ${child.exitCode} before it listened`);
    const text = await readFile(file, 'utf8').catch(() => '');
    const port = Number(text.split('\n')[0]);
    if (port > 0) return port;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('chromium did not open its DevTools port within 10 s');
}

/**
 * Starts Chromium with exactly CHROMIUM_ARGS plus a temporary profile and a DevTools port, and
 * connects playwright-core over CDP (Playwright's own launcher would add flags of its own).
 */
export async function launchChromium(): Promise<RunningBrowser> {
  const found = findTool(CHROMIUM);
  if (!found.found) throw new Error(found.message);
  const profile = await mkdtemp(join(tmpdir(), 'anymesh-chromium-'));
  const child = spawn(found.path, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], {
    stdio: 'ignore',
    // Its own process group, so closing it also ends the renderer and zygote children it forks.
    detached: true,
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const removeProfile = () => rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  try {
    const port = await devToolsPort(profile, child);
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    return {
      browser,
      async close() {
        await browser.close().catch(() => undefined);
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          killGroup('SIGTERM');
          await exited;
        }
        killGroup('SIGKILL');
        await removeProfile();
      },
    };
  } catch (error) {
    killGroup('SIGKILL');
    await removeProfile();
    throw error;
  }
}
