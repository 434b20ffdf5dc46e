import { describe, expect, it } from 'vitest';
import type { GatewayMatch } from '../src/linkerd/http-match.js';
import { compileLinkerdMatch } from '../src/linkerd/linkerd-match.js';
import { linkerdMayPrefer, pairKey, unresolvedPairs, type EmittedEntry } from '../src/linkerd/precedence.js';

/**
 * Which pairs of neutral matches Linkerd may order differently (linkerd2-proxy ranks by matched
 * path length, then method, #headers, #query; equal ranks keep rule order within an HTTPRoute and
 * creation order across routes). `a` is always the neutral winner.
 */
type Opts = { matchIndex?: number; route?: string; ignoreCasePrefix?: string; extra?: boolean };
const entry = (m: GatewayMatch, ruleIndex: number, o: Opts = {}): EmittedEntry => ({
  ruleIndex,
  matchIndex: o.matchIndex ?? 0,
  linkerd: compileLinkerdMatch(m),
  route: o.route ?? 'web',
  ...(o.ignoreCasePrefix !== undefined && { ignoreCasePrefix: o.ignoreCasePrefix }),
  extra: o.extra ?? false,
});
const exact = (value: string, rest: Omit<GatewayMatch, 'path'> = {}): GatewayMatch => ({ path: { type: 'Exact', value }, ...rest });
const prefix = (value: string, rest: Omit<GatewayMatch, 'path'> = {}): GatewayMatch => ({ path: { type: 'PathPrefix', value }, ...rest });
const regex = (value: string, rest: Omit<GatewayMatch, 'path'> = {}): GatewayMatch => ({
  path: { type: 'RegularExpression', value },
  ...rest,
});
const header = (name: string, value: string, type: 'Exact' | 'RegularExpression' = 'Exact') => ({ type, name, value });
const may = (a: GatewayMatch, b: GatewayMatch, bo: Opts = {}, ao: Opts = {}) => linkerdMayPrefer(entry(a, 0, ao), entry(b, 1, bo));

describe('linkerdMayPrefer: conditions no request meets together', () => {
  it('two different methods never compete; one method, or the same, may', () => {
    expect(may(prefix('/', { method: 'GET' }), prefix('/', { method: 'POST', headers: [header('x', '1')] }))).toBe(false);
    expect(may(prefix('/', { method: 'GET' }), prefix('/', { method: 'GET', headers: [header('x', '1')] }))).toBe('tie');
    expect(may(prefix('/'), prefix('/', { method: 'GET' }))).toBe('tie');
  });

  it('one header tested for two exact values, or an exact value the other regex rejects, never competes', () => {
    const h = (...hs: ReturnType<typeof header>[]) => prefix('/', { headers: hs });
    expect(may(h(header('x', '1')), h(header('x', '2'), header('y', '1')))).toBe(false);
    expect(may(h(header('x', 'abc')), h(header('x', '[0-9]+', 'RegularExpression'), header('y', '1')))).toBe(false);
    expect(may(h(header('x', '[0-9]+', 'RegularExpression')), h(header('x', 'abc'), header('y', '1')))).toBe(false);
    expect(may(h(header('x', '[0-9]+', 'RegularExpression')), h(header('x', '12')))).toBe(false);
    expect(may(h(header('x', '[0-9]+', 'RegularExpression')), h(header('x', '12'), header('y', '1')))).toBe('tie');
    expect(may(h(header('x', '[a-z]+', 'RegularExpression')), h(header('x', '[0-9]+', 'RegularExpression'), header('y', '1')))).toBe('tie');
    expect(may(h(header('x', '1')), h(header('y', '2'), header('z', '3')))).toBe('tie');
    expect(may(h(header('X-A', '1')), h(header('x-a', '2'), header('y', '1')))).toBe(false);
  });

  it('query parameters are conditions too', () => {
    const q = (value: string, more: GatewayMatch['queryParams'] = []) =>
      prefix('/', { queryParams: [{ type: 'Exact', name: 'q', value }, ...more] });
    expect(may(q('1'), q('2', [{ type: 'Exact', name: 'r', value: '1' }]))).toBe(false);
    expect(may(q('1'), q('1', [{ type: 'Exact', name: 'r', value: '1' }]))).toBe('tie');
  });
});

describe('linkerdMayPrefer: path lengths', () => {
  it('exact and regex paths count the whole path: they tie where both match, else never compete', () => {
    expect(may(exact('/a'), exact('/a', { method: 'GET' }))).toBe('tie');
    expect(may(exact('/a'), exact('/b', { method: 'GET' }))).toBe(false);
    expect(may(exact('/a/1'), regex('/a/[0-9]', { method: 'GET' }))).toBe('tie');
    expect(may(exact('/a/x'), regex('/a/[0-9]', { method: 'GET' }))).toBe(false);
    expect(may(regex('/a/[0-9]'), exact('/a/1', { method: 'GET' }))).toBe('tie');
    expect(may(regex('/a/[0-9]'), exact('/a/x', { method: 'GET' }))).toBe(false);
    expect(may(regex('/a/.*'), regex('/b/.*', { method: 'GET' }))).toBe('tie');
  });

  it('an exact or regex winner against a prefix: they compete only where the winner matches the prefix itself', () => {
    expect(may(exact('/a'), prefix('/a', { method: 'GET' }))).toBe('tie');
    expect(may(exact('/a/b'), prefix('/a', { method: 'GET' }))).toBe(false);
    expect(may(exact('/'), prefix('/', { method: 'GET' }))).toBe('tie');
    expect(may(regex('/a/?'), prefix('/a/', { method: 'GET' }))).toBe('tie');
  });

  it('a prefix winner loses to a longer exact path under it, ties with the same path, and never meets one outside it', () => {
    expect(may(prefix('/a'), exact('/a/b'))).toBe('outranked');
    expect(may(prefix('/a'), exact('/a'), { route: 'web' })).toBe(false);
    expect(may(prefix('/a'), exact('/a', { method: 'GET' }))).toBe('tie');
    expect(may(prefix('/a'), exact('/bcd'))).toBe(false);
    expect(may(prefix('/a'), exact('/b', { method: 'GET' }))).toBe(false);
    expect(may(prefix('/'), exact('/'))).toBe(false);
    expect(may(prefix('/'), exact('/x'))).toBe('outranked');
    expect(may(prefix('/a/'), exact('/a/x'))).toBe('outranked');
  });

  it('a prefix winner may lose to any regex, and to a case-insensitive prefix nested with it', () => {
    expect(may(prefix('/a'), regex('/zzz'))).toBe('outranked');
    const ci = (p: string) => ({ ignoreCasePrefix: p });
    expect(may(prefix('/Admin/x'), regex('(?i)/admin(/.*)?'), ci('/admin'))).toBe('outranked');
    expect(may(prefix('/admin'), regex('(?i)/admin/x(/.*)?'), ci('/admin/x'))).toBe('outranked');
    expect(may(prefix('/other'), regex('(?i)/admin(/.*)?', { method: 'GET' }), ci('/admin'))).toBe(false);
  });

  it('two prefixes compete only when they are the same prefix', () => {
    expect(may(prefix('/a'), prefix('/a', { method: 'GET' }))).toBe('tie');
    expect(may(prefix('/a/b'), prefix('/a', { method: 'GET' }))).toBe(false);
    expect(may(prefix('/ab'), prefix('/ac', { method: 'GET' }))).toBe(false);
  });
});

describe('linkerdMayPrefer: equal path lengths', () => {
  it('in one HTTPRoute the earlier rule keeps an equal rank; the later one wins only by method, then headers, then query', () => {
    expect(may(prefix('/'), prefix('/'))).toBe(false);
    expect(may(prefix('/'), prefix('/', { method: 'GET' }))).toBe('tie');
    expect(may(prefix('/', { method: 'GET' }), prefix('/'))).toBe(false);
    expect(may(prefix('/', { headers: [header('x', '1')] }), prefix('/', { method: 'GET' }))).toBe('tie');
    expect(may(prefix('/', { method: 'GET' }), prefix('/', { headers: [header('x', '1'), header('y', '1')] }))).toBe(false);
    expect(may(prefix('/'), prefix('/', { headers: [header('x', '1')] }))).toBe('tie');
    expect(may(prefix('/', { headers: [header('x', '1')] }), prefix('/'))).toBe(false);
    const query = [{ type: 'Exact' as const, name: 'q', value: '1' }];
    expect(may(prefix('/'), prefix('/', { queryParams: query }))).toBe('tie');
    expect(may(prefix('/', { queryParams: query }), prefix('/'))).toBe(false);
    expect(may(prefix('/', { headers: [header('x', '1')] }), prefix('/', { queryParams: query }))).toBe(false);
  });

  it('across HTTPRoutes an equal rank may go either way (creation time, then name)', () => {
    expect(may(prefix('/'), prefix('/'), { route: 'web-2' })).toBe('tie');
    expect(may(prefix('/', { method: 'GET' }), prefix('/'), { route: 'web-2' })).toBe(false);
  });
});

describe('unresolvedPairs', () => {
  const a = entry(prefix('/'), 0);
  const b = entry(prefix('/', { method: 'GET' }), 1);
  const c = entry(prefix('/', { method: 'GET', headers: [header('x', '1')] }), 2);

  it('pairs every earlier entry with every later one Linkerd may prefer, never two matches of one rule', () => {
    const sameRule = entry(prefix('/', { method: 'GET' }), 0, { matchIndex: 1 });
    expect(unresolvedPairs([a, sameRule, b, c], new Set())).toEqual([
      [a, b],
      [a, c],
      [sameRule, c],
      [b, c],
    ]);
    expect(unresolvedPairs([c, b, a], new Set())).toEqual([]);
  });

  it("skips a repaired pair, but still checks a loser's narrower copy", () => {
    expect(unresolvedPairs([a, b, c], new Set([pairKey(a, b)]))).toEqual([
      [a, c],
      [b, c],
    ]);
    const narrower = { ...b, extra: true };
    expect(unresolvedPairs([a, narrower], new Set([pairKey(a, narrower)]))).toEqual([[a, narrower]]);
  });

  it('names a pair winner first', () => {
    expect(pairKey({ ruleIndex: 1, matchIndex: 0 }, { ruleIndex: 3, matchIndex: 2 })).toBe('1:0>3:2');
  });
});
