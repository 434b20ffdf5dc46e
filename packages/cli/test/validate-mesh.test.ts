import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('anymesh validate --mesh', { timeout: 120_000 }, () => {
  it('runs a trial translation: the bookstore is valid for Istio, with what Istio approximates as warnings', () => {
    const r = runCli(['validate', 'examples/bookstore', '--mesh', 'istio']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning AM4002: istio approximates retry\.budget/);
    expect(r.stderr).toMatch(/^valid for istio: \d+ objects, 0 errors, [1-9]\d* warnings$/m);
  });

  it('says invalid for Istio under --strict, exiting 1', () => {
    const r = runCli(['validate', 'examples/bookstore', '--mesh', 'istio', '--strict']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^invalid for istio: /m);
  });

  it('keeps plain validate free of translation findings', () => {
    const r = runCli(['validate', 'examples/bookstore']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/AM400/);
  });

  it('includes the mesh and the translation diagnostics in JSON output', () => {
    const r = runCli(['validate', 'examples/bookstore', '--mesh', 'istio', '-o', 'json']);
    const out = JSON.parse(r.stdout) as { valid: boolean; mesh: string; diagnostics: { code: string; mesh?: string }[] };
    expect(out.valid).toBe(true);
    expect(out.mesh).toBe('istio');
    expect(out.diagnostics.some((d) => d.code === 'AM4002' && d.mesh === 'istio')).toBe(true);
  });

  it('exits 2 for an unknown mesh and for --strict without --mesh', () => {
    expect(runCli(['validate', 'examples/bookstore', '--mesh', 'kuma']).code).toBe(2);
    expect(runCli(['validate', 'examples/bookstore', '--strict']).code).toBe(2);
  });
});
