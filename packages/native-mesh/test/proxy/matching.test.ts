import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, SERVICES_YAML, startMesh, type TestMesh } from './support/mesh.js';

const tag = (name: string) => `responseHeaders: { set: { x-rule: ${name} } }`;

const POLICIES = `${SERVICES_YAML(['reviews', 'client'])}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: ${NS} }
spec:
  service: reviews
  rules:
    - name: internal-users
      matches: [{ headers: { x-user: { exact: internal } } }]
      destinations: [{ version: v2 }]
      ${tag('internal-users')}
    - name: a-prefix
      matches: [{ path: { prefix: /a } }]
      ${tag('a-prefix')}
    - name: a-exact
      matches: [{ path: { exact: /a/b } }]
      ${tag('a-exact')}
    - name: a-post
      matches: [{ path: { prefix: /a }, method: POST }]
      ${tag('a-post')}
    - name: items-regex
      matches: [{ path: { regex: '/items/[0-9]+' } }]
      ${tag('items-regex')}
    - name: items-prefix
      matches: [{ path: { prefix: /items } }]
      ${tag('items-prefix')}
    - name: debug-query
      matches: [{ queryParams: { debug: { exact: '1' } } }]
      ${tag('debug-query')}
    - name: api-v1
      matches: [{ path: { prefix: /api/v1 } }]
      rewrite: { pathPrefix: /v2, host: reviews.internal }
      requestHeaders: { set: { x-set: s }, add: { x-add: a }, remove: [x-drop] }
      ${tag('api-v1')}
    - name: full
      matches: [{ path: { exact: /full } }]
      rewrite: { fullPath: /replaced }
    - name: moved
      matches: [{ path: { prefix: /old } }]
      redirect: { pathPrefix: /new, statusCode: 301 }
    - name: elsewhere
      matches: [{ path: { exact: /elsewhere } }]
      redirect: { scheme: https, host: example.com }
`;

describe('route matching, precedence and request/response changes', () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    mesh = await startMesh(POLICIES, [
      { service: 'reviews', version: 'v1' },
      { service: 'reviews', version: 'v2' },
    ]);
  });
  afterAll(() => mesh.close());

  const ruleOf = async (path: string, options?: Parameters<TestMesh['call']>[2]) =>
    (await mesh.call('reviews', path, options)).headers['x-rule'];

  it('prefers an exact path over a longer-listed prefix, and a prefix over a header-only rule', async () => {
    expect(await ruleOf('/a/b')).toBe('a-exact');
    expect(await ruleOf('/a/c')).toBe('a-prefix');
    expect(await ruleOf('/a/c', { headers: { 'x-user': 'internal' } })).toBe('a-prefix');
    expect(await ruleOf('/other', { headers: { 'x-user': 'internal' } })).toBe('internal-users');
  });

  it('prefers a prefix with a method over the same prefix without, and matches prefixes segment-wise', async () => {
    expect(await ruleOf('/a/c', { method: 'POST' })).toBe('a-post');
    expect(await ruleOf('/abc')).toBeUndefined();
  });

  it('prefers a regex path over a prefix and matches it anchored', async () => {
    expect(await ruleOf('/items/42')).toBe('items-regex');
    expect(await ruleOf('/items/42x')).toBe('items-prefix');
  });

  it('matches query parameters, and sends unmatched requests to the service, all versions', async () => {
    expect(await ruleOf('/q?debug=1')).toBe('debug-query');
    const unmatched = await mesh.call('reviews', '/q?debug=2');
    expect(unmatched.headers['x-rule']).toBeUndefined();
    expect(unmatched.status).toBe(200);
  });

  it('routes header-matched requests to the rule destination version', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => mesh.call('reviews', '/other', { headers: { 'x-user': 'internal' } })),
    );
    expect(new Set(replies.map((r) => r.body))).toEqual(new Set(['reviews-v2-0']));
  });

  it('rewrites the path prefix and host and changes request headers as the app sees them', async () => {
    const reply = await mesh.call('reviews', '/api/v1/books?id=3', { headers: { 'x-drop': 'gone', 'x-add': 'first', 'x-set': 'old' } });
    expect(reply.headers['x-rule']).toBe('api-v1');
    const seen = mesh.apps.get(reply.body)!.seen.at(-1)!;
    expect(seen.url).toBe('/v2/books?id=3');
    expect(seen.headers.host).toBe('reviews.internal');
    expect(seen.headers['x-set']).toBe('s');
    expect(seen.headers['x-add']).toBe('first, a');
    expect(seen.headers['x-drop']).toBeUndefined();
    expect(seen.headers['x-anymesh-source-service']).toBeUndefined();
  });

  it('replaces the whole path with a fullPath rewrite, keeping the query', async () => {
    const reply = await mesh.call('reviews', '/full?x=1');
    expect(mesh.apps.get(reply.body)!.seen.at(-1)!.url).toBe('/replaced?x=1');
  });

  it('answers redirects itself: prefix replacement with 301, and scheme/host with the default 302', async () => {
    const moved = await mesh.call('reviews', '/old/page?x=1');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('http://reviews/new/page?x=1');
    const elsewhere = await mesh.call('reviews', '/elsewhere');
    expect(elsewhere.status).toBe(302);
    expect(elsewhere.headers.location).toBe('https://example.com/elsewhere');
  });
});
