import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicies, loadTexts, STDIN_NAME } from '../src/index.js';

const SERVICE = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews }
spec:
  ports: [{ port: 9080 }]
`;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'anymesh-loader-'));
}

describe('loader', () => {
  it('reads directories recursively, only yaml, yml and json files, in sorted order', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.yaml'), SERVICE.replace('reviews', 'b'));
    writeFileSync(join(dir, 'sub', 'a.yml'), SERVICE.replace('reviews', 'a'));
    writeFileSync(
      join(dir, 'c.json'),
      JSON.stringify({ apiVersion: 'anymesh.io/v1alpha1', kind: 'Service', metadata: { name: 'c' }, spec: { ports: [{ port: 1 }] } }),
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a policy');
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    const result = await loadPolicies([dir]);
    expect(result.diagnostics).toEqual([]);
    expect(result.set.objects.map((o) => o.object.metadata.name)).toEqual(['b', 'c', 'a']);
  });

  it('keeps the source file, line and column of every document of a multi-document file', async () => {
    const dir = tempDir();
    const file = join(dir, 'multi.yaml');
    writeFileSync(file, `# comment\n${SERVICE}---\n${SERVICE.replace('reviews', 'ratings')}`);
    const { set } = await loadPolicies([file]);
    expect(set.objects.map((o) => [o.source.file, o.source.line, o.source.col])).toEqual([
      [file, 2, 1],
      [file, 8, 1],
    ]);
    expect(set.objects[1]!.positionOf(['spec', 'ports', 0, 'port'])).toEqual({ file, line: 12, col: 13 });
  });

  it('reads standard input when a path is -', async () => {
    const result = await loadPolicies(['-'], { readStdin: async () => Buffer.from(SERVICE) });
    expect(result.set.objects[0]!.source.file).toBe(STDIN_NAME);
  });

  it('reports a missing path instead of throwing', async () => {
    const result = await loadPolicies(['/nonexistent/policies']);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['AM1005']);
    expect(result.diagnostics[0]!.message).toContain('no such file or directory');
  });

  it('reports a directory without policy files', async () => {
    const result = await loadPolicies([tempDir()]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['AM1010']);
  });

  it('refuses a 50 MB file quickly without reading it', async () => {
    const file = join(tempDir(), 'huge.yaml');
    writeFileSync(file, Buffer.alloc(50 * 1024 * 1024, 'a'));
    const started = performance.now();
    const result = await loadPolicies([file]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['AM1003']);
    expect(result.diagnostics[0]!.message).toContain('50.0 MiB');
    // Not a speed assertion: a generous bound that only catches reading/parsing the whole file.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reports binary garbage with the line and column of the first NUL byte', async () => {
    const file = join(tempDir(), 'garbage.yaml');
    writeFileSync(file, Buffer.from([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x62, 0x3a, 0x20, 0x00, 0x01, 0x02]));
    const result = await loadPolicies([file]);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['AM1004', 2, 4]]);
    expect(result.diagnostics[0]!.message).toContain('NUL byte');
  });

  it('keeps valid documents of a file when another document of it is broken', () => {
    const result = loadTexts([{ file: 'x.yaml', text: `${SERVICE}---\nkind: [unclosed\n` }]);
    expect(result.set.objects).toHaveLength(1);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['AM1001']);
  });

  it('reports every schema error of a document, not only the first', () => {
    const text = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: Bad_Name, colour: blue }
spec:
  ports: [{ port: 0, protocol: udp }]
  versions: { v1: {} }
`;
    const codes = loadTexts([{ file: 'x.yaml', text }]).diagnostics.map((d) => `${d.code} ${d.path}`);
    expect(codes).toEqual([
      'AM2004 metadata.name',
      'AM2002 metadata.colour',
      'AM2005 spec.ports[0].port',
      'AM2004 spec.ports[0].protocol',
      'AM2001 spec.versions.v1.labels',
    ]);
  });
});

describe('identities and redirect paths are pinned by the schema', () => {
  const accessFrom = (identity: string) => `${SERVICE}---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: a }
spec:
  rules: [{ action: allow, from: [{ identity: '${identity}' }], to: { service: reviews } }]
`;
  const codesOf = (text: string) => loadTexts([{ file: 'x.yaml', text }]).diagnostics.map((d) => `${d.code} ${d.path}`);

  it('refuses a * in an identity, which Istio and Linkerd would read as a wildcard admitting other callers', () => {
    for (const identity of ['spiffe://cluster.local/ns/shop/sa/*', 'spiffe://cluster.local/ns/shop/sa/web*', 'spiffe://*/ns/shop/sa/web'])
      expect(codesOf(accessFrom(identity)), identity).toEqual(['AM2004 spec.rules[0].from[0].identity']);
  });

  it('refuses identities with characters or empty segments the SPIFFE ID grammar does not allow, and accepts . _ -', () => {
    for (const identity of [
      'spiffe://cluster.local/ns/shop/sa/w b',
      'spiffe://cluster.local//sa/web',
      'spiffe://cluster.local/ns/shop/sa/web/',
    ])
      expect(codesOf(accessFrom(identity)), identity).toEqual(['AM2004 spec.rules[0].from[0].identity']);
    expect(codesOf(accessFrom('spiffe://td.example_1/ns/shop/sa/web-v1.x_y'))).toEqual([]);
  });

  it('refuses a query string or fragment in a redirect or rewrite path (the request query is kept)', () => {
    const route = (rule: string) => `${SERVICE}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews }
spec: { service: reviews, rules: [{ matches: [{ path: { prefix: /a } }], ${rule} }] }
`;
    expect(codesOf(route('redirect: { path: "/b?x=1" }'))).toEqual(['AM2004 spec.rules[0].redirect.path']);
    expect(codesOf(route('redirect: { pathPrefix: "/b#top" }'))).toEqual(['AM2004 spec.rules[0].redirect.pathPrefix']);
    expect(codesOf(route('rewrite: { fullPath: "/b?x=1" }'))).toEqual(['AM2004 spec.rules[0].rewrite.fullPath']);
    expect(codesOf(route('redirect: { path: /b }'))).toEqual([]);
  });
});
