import { describe, expect, it } from 'vitest';
import { buildRouteTable, loadTexts, selectRoute, type RequestView, type TrafficRoute } from '../src/index.js';

function route(rules: string): TrafficRoute {
  const text = `apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: r }
spec:
  service: reviews
  rules:
${rules}`;
  const result = loadTexts([{ file: 'r.yaml', text }]);
  const errors = result.diagnostics.filter((d) => d.code.startsWith('AM1') || d.code.startsWith('AM2'));
  expect(errors).toEqual([]);
  return result.set.routes[0]!.object;
}

function req(path: string, extra: Partial<RequestView> = {}): RequestView {
  return { method: 'GET', path, headers: {}, query: {}, ...extra };
}

function winner(r: TrafficRoute, request: RequestView): string | undefined {
  return selectRoute(buildRouteTable(r), request)?.rule.name;
}

describe('neutral route precedence', () => {
  const r = route(`    - { name: catch-all }
    - { name: prefix-short, matches: [{ path: { prefix: /a } }] }
    - { name: prefix-long, matches: [{ path: { prefix: /a/b } }] }
    - { name: regex, matches: [{ path: { regex: "/a/b/[0-9]+" } }] }
    - { name: exact, matches: [{ path: { exact: /a/b/1 } }] }
    - { name: method, matches: [{ path: { prefix: /a/b }, method: POST }] }
    - { name: header, matches: [{ path: { prefix: /a/b }, headers: { x-user: { exact: internal } } }] }
    - { name: two-headers, matches: [{ path: { prefix: /a/b }, headers: { x-user: { exact: internal }, x-b: { present: true } } }] }
    - { name: query, matches: [{ path: { prefix: /a/b }, headers: { x-user: { exact: internal } }, queryParams: { q: { exact: "1" } } }] }
`);

  it('prefers an exact path over a regex over any prefix', () => {
    expect(winner(r, req('/a/b/1'))).toBe('exact');
    expect(winner(r, req('/a/b/2'))).toBe('regex');
    expect(winner(r, req('/a/b/x'))).toBe('prefix-long');
  });

  it('matches prefixes segment-wise: /a matches /a/ and /a/x but not /ab', () => {
    expect(winner(r, req('/a'))).toBe('prefix-short');
    expect(winner(r, req('/a/'))).toBe('prefix-short');
    expect(winner(r, req('/a/x'))).toBe('prefix-short');
    expect(winner(r, req('/ab'))).toBe('catch-all');
  });

  it('ranks a method match above header matches, more headers above fewer, then query params', () => {
    const h = { 'x-user': 'internal' };
    expect(winner(r, req('/a/b/x', { method: 'POST', headers: h }))).toBe('method');
    expect(winner(r, req('/a/b/x', { headers: { ...h, 'x-b': 'y' } }))).toBe('two-headers');
    expect(winner(r, req('/a/b/x', { headers: h, query: { q: '1' } }))).toBe('query');
    expect(winner(r, req('/a/b/x', { headers: h }))).toBe('header');
  });

  it('breaks ties by rule order, whatever the order of matches inside a rule', () => {
    const tie = route(`    - { name: first, matches: [{ path: { prefix: /x } }, { path: { prefix: /y } }] }
    - { name: second, matches: [{ path: { prefix: /y } }] }
`);
    expect(winner(tie, req('/y/1'))).toBe('first');
  });

  it('anchors regexes: a regex must match the whole path', () => {
    const anchored = route(`    - { name: re, matches: [{ path: { regex: "/r/[0-9]+" } }] }
`);
    expect(winner(anchored, req('/r/12'))).toBe('re');
    expect(winner(anchored, req('/r/12/x'))).toBeUndefined();
    expect(winner(anchored, req('/x/r/12'))).toBeUndefined();
  });

  it('compares header names case-insensitively and values case-sensitively', () => {
    const h = route(`    - { name: h, matches: [{ headers: { X-User: { exact: Internal } } }] }
`);
    expect(winner(h, req('/', { headers: { 'x-user': 'Internal' } }))).toBe('h');
    expect(winner(h, req('/', { headers: { 'x-user': 'internal' } }))).toBeUndefined();
  });

  it('honours absent, present, prefix header matches and ignoreCase paths', () => {
    const h = route(`    - { name: absent, matches: [{ headers: { x-a: { absent: true } } }] }
    - { name: ci, matches: [{ path: { exact: /Pay, ignoreCase: true } }] }
`);
    expect(winner(h, req('/zzz'))).toBe('absent');
    expect(winner(h, req('/zzz', { headers: { 'x-a': '1' } }))).toBeUndefined();
    expect(winner(h, req('/pAY', { headers: { 'x-a': '1' } }))).toBe('ci');
  });
});
