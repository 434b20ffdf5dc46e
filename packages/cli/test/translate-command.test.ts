import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '@anymesh/adapters';
import { runCli } from './run-cli.js';

/** Top-level kinds of a multi-document YAML stream, in order. */
const kinds = (yaml: string) => [...yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);

describe('anymesh translate', { timeout: 120_000 }, () => {
  const bookstore = runCli(['translate', 'examples/bookstore', 'examples/rollouts', '--mesh', 'istio']);

  it('writes the bookstore as multi-document Istio YAML on stdout and exits 0', () => {
    expect(bookstore.code).toBe(0);
    const found = new Set(kinds(bookstore.stdout));
    expect([...found].sort()).toEqual(['AuthorizationPolicy', 'DestinationRule', 'PeerAuthentication', 'Telemetry', 'VirtualService']);
  });

  it('reports what Istio only approximates on stderr in the validate format, never on stdout', () => {
    expect(bookstore.stderr).toMatch(
      /^examples\/rollouts\/reviews-canary\.yaml:\d+:\d+: warning AM4002: istio approximates rollout\.canary: /m,
    );
    expect(bookstore.stderr).toMatch(/translated for istio: \d+ objects, 0 errors, \d+ warnings/);
    expect(bookstore.stdout).not.toMatch(/AM400/);
  });

  it('refuses to write anything under --strict when a feature is only approximated, exiting 1', () => {
    const r = runCli(['translate', 'examples/bookstore', '--mesh', 'istio', '--strict']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error AM4002: istio approximates/);
    expect(r.stderr).toMatch(/not translated for istio \(--strict\)/);
  });

  it('exits 2 for an unknown mesh and lists the meshes there are', () => {
    const r = runCli(['translate', 'examples/bookstore', '--mesh', 'kuma']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown mesh "kuma": known meshes are ${ADAPTERS.map((a) => a.name).join(', ')}`);
  });

  it('exits 2 without --mesh and with an unknown output format', () => {
    expect(runCli(['translate', 'examples/bookstore']).code).toBe(2);
    expect(runCli(['translate', 'examples/bookstore', '--mesh', 'istio', '-o', 'toml']).code).toBe(2);
  });

  it('exits 1 on invalid input and translates nothing', () => {
    const r = runCli(['translate', 'examples/invalid/AM3001-unknown-service.yaml', '--mesh', 'istio']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error AM3001/);
  });

  it('reads policies from stdin with -', () => {
    const policy = 'apiVersion: anymesh.io/v1alpha1\nkind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: 80 }] }\n';
    const r = runCli(['translate', '-', '--mesh', 'istio'], policy);
    expect(r.code).toBe(0);
    expect(kinds(r.stdout)).toEqual(['VirtualService', 'PeerAuthentication', 'Telemetry']);
    expect(r.stdout).toContain('attempts: 0');
  });

  it('writes a Kubernetes List with -o json', () => {
    const r = runCli(['translate', 'examples/bookstore', '--mesh', 'istio', '-o', 'json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; items: { kind: string }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.kind)).toEqual(kinds(bookstore.stdout));
  });

  describe('with --out-dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anymesh-translate-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('writes one file per object, named by kind, namespace and name, and nothing on stdout', () => {
      const r = runCli(['translate', 'examples/bookstore', '--mesh', 'istio', '--out-dir', dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort();
      expect(files).toHaveLength(kinds(bookstore.stdout).length);
      expect(files).toContain('virtualservice-bookstore-reviews.yaml');
      expect(kinds(readFileSync(join(dir, 'peerauthentication-istio-system-default.yaml'), 'utf8'))).toEqual(['PeerAuthentication']);
    });

    it('removes the files of an earlier run that this run does not write, and keeps files anymesh did not write', () => {
      const out = mkdtempSync(join(tmpdir(), 'anymesh-translate-'));
      const alone = mkdtempSync(join(tmpdir(), 'anymesh-translate-'));
      try {
        expect(runCli(['translate', 'examples/bookstore', '--mesh', 'istio', '--out-dir', out]).code).toBe(0);
        writeFileSync(join(out, 'my-namespace.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: bookstore }\n');
        const fewer = ['translate', 'examples/bookstore/services.yaml', 'examples/bookstore/mesh.yaml', '--mesh', 'istio'];
        const second = runCli([...fewer, '--out-dir', out]);
        expect(second.code).toBe(0);
        expect(second.stderr).toMatch(/removed \d+ files of an earlier run/);
        expect(second.stderr).toContain('1 file anymesh did not write (my-namespace.yaml)');
        // Exactly what the smaller translation writes into an empty directory, plus the user's own file.
        expect(runCli([...fewer, '--out-dir', alone]).code).toBe(0);
        const manifests = (d: string) =>
          readdirSync(d)
            .filter((f) => f.endsWith('.yaml'))
            .sort();
        expect(manifests(alone).length).toBeLessThan(kinds(bookstore.stdout).length);
        expect(manifests(out)).toEqual([...manifests(alone), 'my-namespace.yaml'].sort());
      } finally {
        rmSync(out, { recursive: true, force: true });
        rmSync(alone, { recursive: true, force: true });
      }
    });

    it('never removes a path outside the directory, even when the index names one', () => {
      const out = mkdtempSync(join(tmpdir(), 'anymesh-translate-'));
      const outside = join(out, '..', `${basename(out)}-keep.yaml`);
      try {
        writeFileSync(outside, 'kept: true\n');
        writeFileSync(join(out, '.anymesh-written'), `../${basename(outside)}\n${outside}\n`);
        expect(runCli(['translate', 'examples/bookstore/services.yaml', '--mesh', 'istio', '--out-dir', out]).code).toBe(0);
        expect(readFileSync(outside, 'utf8')).toBe('kept: true\n');
      } finally {
        rmSync(out, { recursive: true, force: true });
        rmSync(outside, { force: true });
      }
    });
  });
});
