import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './run-cli.js';
import { anymesh, BIN, closedPort } from './rollout-support/processes.js';

const work = mkdtempSync(join(tmpdir(), 'anymesh-rollout-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ROLLOUT = `apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: reviews-v3, namespace: bookstore }
spec:
  service: reviews
  from: v1
  to: v3
  strategy:
    canary: { steps: [10, 50] }
`;

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe('anymesh rollout: usage errors (exit 2)', { timeout: 60_000 }, () => {
  it('refuses a name that is neither <name> nor <namespace>/<name>', async () => {
    const run = await anymesh(['rollout', 'status', 'a/b/c', '--token', 't']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a rollout is named <name> or <namespace>/<name>, got "a/b/c"');
  });

  it('refuses an output format it does not have', async () => {
    const run = await anymesh(['rollout', 'list', '-o', 'yaml', '--token', 't']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('-o must be one of text, json, got "yaml"');
  });

  it('needs -f to start a rollout and a name to promote one', async () => {
    const start = await anymesh(['rollout', 'start']);
    expect(start.code).toBe(2);
    expect(start.stderr).toContain("required option '-f, --filename <file>' not specified");
    const promote = await anymesh(['rollout', 'promote']);
    expect(promote.code).toBe(2);
    expect(promote.stderr).toContain("missing required argument 'name'");
  });

  it('refuses an unknown subcommand', async () => {
    const run = await anymesh(['rollout', 'undo', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'undo'");
  });

  it('plan needs --mesh, and names the meshes there are for an unknown one', async () => {
    const rollout = file('plan.yaml', ROLLOUT);
    const none = await anymesh(['rollout', 'plan', '-f', rollout]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('rollout plan needs --mesh: one of istio, linkerd, consul, native');
    const kuma = await anymesh(['rollout', 'plan', '-f', rollout, '--mesh', 'kuma']);
    expect(kuma.code).toBe(2);
    expect(kuma.stderr).toContain('unknown mesh "kuma"');
  });
});

describe('anymesh rollout: no control plane (exit 1)', { timeout: 60_000 }, () => {
  let url = '';
  beforeAll(async () => {
    url = `http://127.0.0.1:${await closedPort()}`;
  });

  it.each([
    ['list'],
    ['status', 'bookstore/reviews-v3'],
    ['promote', 'reviews-v3', '-n', 'bookstore'],
    ['history', 'bookstore/reviews-v3'],
    ['status', 'bookstore/reviews-v3', '-w'],
  ])('rollout %s says the control plane cannot be reached, and where it was looked for', async (...args) => {
    const run = await anymesh(['rollout', ...args, '--control-plane', url, '--token', 't']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`anymesh: cannot reach the control plane at ${url} (`);
    expect(run.stderr).toContain('start it with anymesh up or anymesh control-plane, or pass --control-plane');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('says which admin-token file it looked for when there is no token', async () => {
    const state = join(work, 'empty-state');
    const run = await anymesh(['rollout', 'list', '--control-plane', url, '--state-dir', state]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no admin token: ${join(state, 'control-plane', 'admin-token')} does not exist`);
  });
});

describe('anymesh rollout start: an invalid file is reported before anything is sent (exit 1)', { timeout: 60_000 }, () => {
  let url = '';
  beforeAll(async () => {
    // Nothing listens here: a file checked locally never gets as far as "cannot reach".
    url = `http://127.0.0.1:${await closedPort()}`;
  });
  const start = (path: string) => anymesh(['rollout', 'start', '-f', path, '--control-plane', url, '--token', 't']);

  it('prints schema errors with file, line, column, code and field, as anymesh validate does', async () => {
    const path = file('bad-weight.yaml', ROLLOUT.replace('steps: [10, 50]', 'steps: [10, 150]'));
    const run = await start(path);
    const validate = await anymesh(['validate', path]);
    expect(run.code).toBe(1);
    const line = run.stderr.split('\n').find((l) => l.startsWith(`${path}:`));
    expect(line).toMatch(new RegExp(`^${path}:9:\\d+: error AM\\d{4}: .*\\(spec\\.strategy\\.canary\\.steps\\[1\\]\\)$`));
    expect(validate.stderr).toContain(line);
    expect(run.stderr).toContain('nothing started');
    expect(run.stderr).not.toContain('cannot reach');
  });

  it('says a missing file is missing, naming it', async () => {
    const path = join(work, 'no-such-rollout.yaml');
    const run = await start(path);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${path}:1:1: error AM1005: `, 'm'));
  });

  it('takes one Rollout per file: more documents, or another kind, are refused with the file named', async () => {
    const two = await start(file('two.yaml', `${ROLLOUT}---\n${ROLLOUT.replace('reviews-v3', 'reviews-v2')}`));
    expect(two.code).toBe(1);
    expect(two.stderr).toContain(`${join(work, 'two.yaml')} holds 2 documents; rollout start takes a file holding exactly one Rollout`);
    const service = await start(
      file(
        'service.yaml',
        'apiVersion: anymesh.io/v1alpha1\nkind: Service\nmetadata: { name: reviews }\nspec:\n  ports: [{ port: 9080 }]\n  versions: { v1: { labels: { version: v1 } } }\n',
      ),
    );
    expect(service.code).toBe(1);
    expect(service.stderr).toContain(`${join(work, 'service.yaml')}:1: a Service, not a Rollout`);
  });
});

describe('anymesh rollout start-up', { timeout: 60_000 }, () => {
  it('the control-plane subcommands load neither the adapters, the native mesh nor the dashboard', async () => {
    const log = join(work, 'loads.log');
    const url = `http://127.0.0.1:${await closedPort()}`;
    const recorder = join(import.meta.dirname, 'support', 'record-loads.mjs');
    const r = spawnSync(process.execPath, ['--import', recorder, BIN, 'rollout', 'list', '--control-plane', url, '--token', 't'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ANYMESH_LOAD_LOG: log },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(1);
    const modules = readFileSync(log, 'utf8').split('\n');
    expect(modules.some((m) => m.includes('dist/commands/rollout.js'))).toBe(true);
    expect(modules.filter((m) => /packages\/(native-mesh|ui|adapters)\/|@opentelemetry|dist\/commands\/rollout\/plan/.test(m))).toEqual([]);
  });
});
