import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CRDS_DIR, crdKey, loadCrdIndex } from './support/crd-index.js';
import { REPO_ROOT } from './support/policy-cases.js';

const CHECK = join(REPO_ROOT, 'scripts', 'check-vendored-crds.mjs');

interface Pin {
  readonly sha256: string;
  readonly group?: string;
  readonly kind?: string;
  readonly versions?: readonly string[];
}

const pins = (dir = CRDS_DIR): Record<string, Pin> =>
  (JSON.parse(readFileSync(join(dir, 'pins.json'), 'utf8')) as { files: Record<string, Pin> }).files;

function check(...args: string[]) {
  const run = spawnSync(process.execPath, [CHECK, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the vendored upstream CRDs (third_party/crds)', () => {
  let copy: string | undefined;
  afterEach(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
    copy = undefined;
  });
  const copyOfCrds = () => {
    copy = mkdtempSync(join(tmpdir(), 'anymesh-crds-'));
    cpSync(CRDS_DIR, copy, { recursive: true });
    return copy;
  };

  it('match their pinned list: every file, sha256, group, kind and versions', () => {
    const run = check();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(Object.keys(pins()).filter((f) => f.endsWith('.yaml'))).toHaveLength(57);
  });

  it('fail the check on a changed, a missing and an extra file, naming each', () => {
    const dir = copyOfCrds();
    const [changed, missing] = Object.keys(pins(dir)).filter((f) => f.endsWith('.yaml'));
    appendFileSync(join(dir, changed!), '# local edit\n');
    rmSync(join(dir, missing!));
    writeFileSync(join(dir, 'istio', 'extra.yaml'), 'kind: ConfigMap\n');
    const run = check('--dir', dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${changed}: changed (sha256 `);
    expect(run.stderr).toContain(`${missing}: missing (pinned in pins.json)`);
    expect(run.stderr).toContain('istio/extra.yaml: not in pins.json');
  });

  it('fail the check when a CRD no longer defines its pinned versions, and when a release folder lost its LICENSE', () => {
    const dir = copyOfCrds();
    const files = pins(dir);
    const [file, pin] = Object.entries(files).find(
      ([f]) => f.startsWith('gateway-api/v1.6.1/standard/') && f.endsWith('_httproutes.yaml'),
    )!;
    files[file] = { ...pin, versions: ['v1*'] };
    writeFileSync(join(dir, 'pins.json'), JSON.stringify({ files }));
    rmSync(join(dir, 'flagger', 'v1.44.0', 'LICENSE'));
    const run = check('--dir', dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}: versions are v1*, v1beta1, pinned v1*`);
    expect(run.stderr).toContain('flagger/v1.44.0/LICENSE: missing');
  });

  it('are what the validator indexes: every pinned group, version and kind, nothing read from elsewhere', () => {
    const index = loadCrdIndex();
    for (const [file, pin] of Object.entries(pins())) {
      if (!pin.group || !pin.kind || !pin.versions) continue;
      for (const v of pin.versions) {
        const entry = index.get(crdKey(pin.group, v.replace(/[* ].*$/, ''), pin.kind));
        expect(entry?.file.startsWith(CRDS_DIR), `${file} ${v}`).toBe(true);
      }
    }
    expect(CRDS_DIR).toBe(join(REPO_ROOT, 'third_party', 'crds'));
  });

  it('refuse two vendored releases that define the same group, version and kind', () => {
    const dir = copyOfCrds();
    cpSync(join(dir, 'istio', '1.31.0-alpha.0-109-g86c9f01fd73'), join(dir, 'istio', 'second-release'), { recursive: true });
    expect(() => loadCrdIndex(dir)).toThrow(/networking\.istio\.io\/v1\/DestinationRule is defined by both .* and .*second-release/);
  });
});

/** Code that runs in the suite or in CI: none of it may name a path outside the clone. */
const CODE_DIRS = ['packages/adapters', 'packages/cli', 'packages/core', 'packages/native-mesh', 'packages/ui', 'scripts', '.ci'];
const OUTSIDE = [/shared\/crds/, /\/work\//, /ANYMESH_CRDS_DIR/];

function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (['node_modules', 'dist', 'web-dist'].includes(e.name)) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? codeFiles(path) : [path];
  });
}

it('no test, script or CI step reads from a path outside the repository (the old ../shared/crds fallback)', () => {
  const self = fileURLToPath(import.meta.url);
  const offenders = CODE_DIRS.flatMap((d) => codeFiles(join(REPO_ROOT, d)))
    .filter((file) => file !== self && /(\.[cm]?[jt]sx?|\/run|\.json)$/.test(file))
    .filter((file) => OUTSIDE.some((pattern) => pattern.test(readFileSync(file, 'utf8'))));
  expect(offenders.map((f) => relative(REPO_ROOT, f))).toEqual([]);
});
