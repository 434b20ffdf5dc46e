import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '@anymesh/adapters';
import { ADMIN_TOKEN_FILE as NATIVE_ADMIN_TOKEN_FILE } from '@anymesh/native-mesh';
import { COMMANDS, commandNameOf } from '../src/command-table.js';
import { ADMIN_TOKEN_FILE } from '../src/control-plane-access.js';
import { MESH_NAMES } from '../src/mesh-option.js';
import { REPO_ROOT } from './run-cli.js';

const BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'anymesh.js');
const RECORDER = join(import.meta.dirname, 'support', 'record-loads.mjs');
const work = mkdtempSync(join(tmpdir(), 'anymesh-startup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The modules (file URLs or paths) the built CLI loads for `args`. */
function modulesLoadedBy(args: readonly string[]): string[] {
  const log = join(work, `${args.join('_').replace(/[^a-z0-9_-]/gi, '')}.log`);
  const r = spawnSync(process.execPath, ['--import', RECORDER, BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ANYMESH_LOAD_LOG: log },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const loads = (modules: readonly string[], what: RegExp) => modules.filter((m) => what.test(m));
const HEAVY = /packages\/(native-mesh|ui|adapters)\/|@opentelemetry|@peculiar|prom-client|undici|express/;
const SCHEMA_AND_YAML = /node_modules\/(\.pnpm\/)?(ajv|yaml)@/;

describe('CLI start-up loads only what the command runs', { timeout: 120_000 }, () => {
  it('anymesh version loads neither the native mesh, the dashboard, the adapters, OpenTelemetry, ajv nor yaml', () => {
    const modules = modulesLoadedBy(['version']);
    expect(loads(modules, /commands\/version\.js/)).not.toEqual([]);
    expect(loads(modules, HEAVY)).toEqual([]);
    expect(loads(modules, SCHEMA_AND_YAML)).toEqual([]);
    expect(loads(modules, /dist\/commands\/(?!version)/)).toEqual([]);
  });

  it('anymesh --help loads no command module at all', () => {
    const modules = modulesLoadedBy(['--help']);
    expect(loads(modules, /dist\/commands\//)).toEqual([]);
    expect(loads(modules, HEAVY)).toEqual([]);
  });

  it('anymesh validate of one file loads the schema validator and parser but not the adapters or the native mesh', () => {
    const modules = modulesLoadedBy(['validate', 'examples/bookstore/services.yaml']);
    expect(loads(modules, SCHEMA_AND_YAML)).not.toEqual([]);
    expect(loads(modules, HEAVY)).toEqual([]);
  });

  it('anymesh help validate shows the real command help', () => {
    const r = spawnSync(process.execPath, [BIN, 'help', 'validate'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--mesh <mesh>');
  });
});

describe('the command table', () => {
  it('lists every command with the description its module registers', async () => {
    for (const entry of COMMANDS) {
      const program = new Command('anymesh');
      (await entry.load())(program, { code: 0 });
      const registered = program.commands.map((c) => [c.name(), c.description()]);
      expect(registered).toEqual([[entry.name, entry.summary]]);
    }
  });

  it('finds the command after global options and behind help', () => {
    expect(commandNameOf(['--debug', 'validate', '-f', 'x'])).toBe('validate');
    expect(commandNameOf(['help', 'tap'])).toBe('tap');
    expect(commandNameOf(['--help'])).toBeUndefined();
    expect(commandNameOf(['--', 'up'])).toBeUndefined();
  });

  it("is the README's command table, row for row", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `anymesh ([a-z-]+)/gm)].map((m) => m[1]);
    expect([...rows].sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it('keeps the constants copied to spare loading agreeing with their sources', () => {
    expect(MESH_NAMES).toEqual(ADAPTERS.map((a) => a.name));
    expect(ADMIN_TOKEN_FILE).toBe(NATIVE_ADMIN_TOKEN_FILE);
  });
});
