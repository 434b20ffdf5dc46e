import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '@anymesh/core';
import { ADAPTERS, adapterFor } from '@anymesh/adapters';
import { NATIVE_CAPABILITIES } from '@anymesh/native-mesh';
import { runCli } from './run-cli.js';

describe('anymesh capabilities', { timeout: 120_000 }, () => {
  it('prints one table row per feature with a column per registered mesh and the native mesh', () => {
    const r = runCli(['capabilities']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['feature', ...ADAPTERS.map((a) => a.name), 'native']);
    expect(lines).toHaveLength(FEATURE_NAMES.length + 1);
  });

  it('outputs JSON straight from the adapters’ capability data', () => {
    const r = runCli(['capabilities', '-o', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { feature: string; meshes: Record<string, { level: string; note: string }> }[];
    expect(rows.map((row) => row.feature)).toEqual(FEATURE_NAMES);
    const istio = adapterFor('istio')!;
    for (const row of rows) expect(row.meshes.istio).toEqual(istio.capabilities[row.feature as keyof typeof istio.capabilities]);
    for (const row of rows) expect(row.meshes.native).toEqual(NATIVE_CAPABILITIES[row.feature as keyof typeof NATIVE_CAPABILITIES]);
  });

  it("shows the native mesh's own table with its notes", () => {
    const r = runCli(['capabilities', '--mesh', 'native']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^feature\s+native\s+note$/);
    expect(r.stdout).toContain(`route.precedence`);
    expect(r.stdout).toContain(NATIVE_CAPABILITIES['route.precedence'].note);
  });

  it('shows the notes for a single mesh, and markdown for documents', () => {
    const one = runCli(['capabilities', '--mesh', 'istio']);
    expect(one.stdout).toMatch(/^route\.pathPrefix\s+✓ full\s+Istio prefixes are character-wise/m);
    const md = runCli(['capabilities', '--mesh', 'istio', '-o', 'markdown']);
    expect(md.stdout.split('\n')[0]).toBe('| feature | istio |');
    expect(md.stdout).toMatch(/\| `access\.sourceVersion` — .* \| \*\*partial\*\*: /);
  });

  it('exits 2 for an unknown mesh', () => {
    const r = runCli(['capabilities', '--mesh', 'nginx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown mesh "nginx": known meshes are istio, consul, linkerd, native/);
  });
});
