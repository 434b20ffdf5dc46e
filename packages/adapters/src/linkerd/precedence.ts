import { segmentPrefixMatches, type LoadedObject } from '@anymesh/core';
import type { LinkerdContext } from './context.js';
import type { CompiledLinkerdMatch } from './linkerd-match.js';

/** One emitted (rule, match) pair, in the neutral precedence order. */
export interface EmittedEntry {
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly linkerd: CompiledLinkerdMatch;
  /** Which HTTPRoute carries it: across routes Linkerd breaks ties by creation time, not by our order. */
  readonly route: string;
  /** For a case-insensitive neutral prefix (emitted as a regex): the prefix, lower-cased and normalized. */
  readonly ignoreCasePrefix?: string;
  /** A narrower copy added by tie-repair.ts, not a neutral match of its own. */
  readonly extra: boolean;
}

function pathMatches(m: CompiledLinkerdMatch, path: string): boolean {
  return m.pathMatches(path);
}

function prefixLength(m: CompiledLinkerdMatch): number {
  return m.pathValue === '/' ? 1 : m.pathValue.replace(/\/+$/, '').length;
}

/** Compares (method, #headers, #query), Linkerd's order after path length; positive when b ranks higher. */
function restCompare(a: CompiledLinkerdMatch, b: CompiledLinkerdMatch): number {
  const ra = [a.method ? 1 : 0, a.headerCount, a.queryCount];
  const rb = [b.method ? 1 : 0, b.headerCount, b.queryCount];
  for (let i = 0; i < 3; i++) if (rb[i] !== ra[i]) return rb[i]! - ra[i]!;
  return 0;
}

/** Names a (winner, loser) pair of neutral entries. */
export function pairKey(a: { ruleIndex: number; matchIndex: number }, b: { ruleIndex: number; matchIndex: number }): string {
  return `${a.ruleIndex}:${a.matchIndex}>${b.ruleIndex}:${b.matchIndex}`;
}

/** How the path lengths of two matches compare on requests both match. */
type PathRelation = 'disjoint' | 'tie' | 'b-longer';

function pathRelation(a: EmittedEntry, b: EmittedEntry): PathRelation {
  const la = a.linkerd;
  const lb = b.linkerd;
  const aPrefix = la.pathKind === 'PathPrefix';
  const bPrefix = lb.pathKind === 'PathPrefix';
  const when = (overlap: boolean): PathRelation => (overlap ? 'tie' : 'disjoint');
  if (!aPrefix && !bPrefix) {
    // Exact and regex matches both count the whole request path.
    if (la.pathKind === 'Exact') return when(pathMatches(lb, la.pathValue));
    if (lb.pathKind === 'Exact') return when(pathMatches(la, lb.pathValue));
    return 'tie';
  }
  if (!aPrefix) return when(pathMatches(la, lb.pathValue === '/' ? '/' : lb.pathValue.replace(/\/+$/, '')));
  if (!bPrefix) {
    if (b.ignoreCasePrefix !== undefined) {
      // Nested prefixes overlap; some request under both is then longer than a's prefix.
      const p = la.pathValue.toLowerCase();
      return segmentPrefixMatches(b.ignoreCasePrefix, p) || segmentPrefixMatches(p, b.ignoreCasePrefix) ? 'b-longer' : 'disjoint';
    }
    if (lb.pathKind !== 'Exact') return 'b-longer';
    if (!pathMatches(la, lb.pathValue)) return 'disjoint';
    return lb.pathValue.length > prefixLength(la) ? 'b-longer' : 'tie';
  }
  return when(prefixLength(la) === prefixLength(lb) && la.pathValue === lb.pathValue);
}

/**
 * Whether no request can meet both matches' header and query conditions: one name tested for two
 * different exact values, or for an exact value the other's regex rejects. Two regexes are assumed
 * to overlap. Without this, rules that only differ in a header value (`x-tenant: t1`, `x-tenant: t2`)
 * would all look tied.
 */
function conditionsDisjoint(a: CompiledLinkerdMatch, b: CompiledLinkerdMatch): boolean {
  return a.conditions.some((ca) =>
    b.conditions.some((cb) => {
      if (ca.key !== cb.key) return false;
      if (ca.type === 'Exact') return !cb.test(ca.value);
      return cb.type === 'Exact' && !ca.test(cb.value);
    }),
  );
}

/**
 * Whether some request matched by both `a` (earlier in the neutral order, so the neutral winner)
 * and `b` can go to `b` in Linkerd: `outranked` when b's path match can be longer, `tie` when the
 * lengths are equal and b's method/headers/query rank higher (or equal, across routes). Conservative
 * where a static answer is out of reach (two regexes are assumed to overlap).
 */
export function linkerdMayPrefer(a: EmittedEntry, b: EmittedEntry): 'tie' | 'outranked' | false {
  const la = a.linkerd;
  const lb = b.linkerd;
  if (la.method && lb.method && la.method !== lb.method) return false;
  if (conditionsDisjoint(la, lb)) return false;
  const relation = pathRelation(a, b);
  if (relation === 'disjoint') return false;
  if (relation === 'b-longer') return 'outranked';
  const rest = restCompare(la, lb);
  return (a.route === b.route ? rest > 0 : rest >= 0) ? 'tie' : false;
}

/**
 * Every pair of entries (in neutral order: the first is the neutral winner) whose order Linkerd may
 * not keep. A pair tie-repair.ts fixed (`repaired`: the winner's rule holds winner ∧ loser, ranked at
 * least as high as the loser, or strictly higher across routes) is skipped, also for the winner's
 * narrower copies; a loser's narrower copy is always checked.
 */
export function unresolvedPairs<E extends EmittedEntry>(entries: readonly E[], repaired: ReadonlySet<string>): [E, E][] {
  const pairs: [E, E][] = [];
  entries.forEach((a, i) => {
    for (const b of entries.slice(i + 1)) {
      if (a.ruleIndex === b.ruleIndex || !linkerdMayPrefer(a, b)) continue;
      if (!b.extra && repaired.has(pairKey(a, b))) continue;
      pairs.push([a, b]);
    }
  });
  return pairs;
}

/** Reports every pair of neutral rules whose order Linkerd may not keep (unresolvedPairs), once per pair of rules. */
export function reportPrecedence(
  ctx: LinkerdContext,
  loaded: LoadedObject,
  entries: readonly EmittedEntry[],
  repaired: ReadonlySet<string>,
): void {
  const reported = new Set<string>();
  for (const [a, b] of unresolvedPairs(entries, repaired)) {
    const key = `${a.ruleIndex}/${b.ruleIndex}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const where = (e: EmittedEntry) => `spec.rules[${e.ruleIndex}]${e.matchIndex === -1 ? '' : `.matches[${e.matchIndex}]`}`;
    const why =
      a.route === b.route
        ? 'Linkerd ranks by matched path length (an exact or regex match counts the whole path, a prefix only itself), then method, headers and query parameters'
        : `the rules are in different HTTPRoutes (${a.route}, ${b.route}: an HTTPRoute holds one retry setting and at most 16 rules) and Linkerd breaks equal ranks by route creation time, then name`;
    ctx.gaps.approximated(
      loaded,
      ['spec', 'rules', a.ruleIndex, ...(a.matchIndex === -1 ? [] : ['matches', a.matchIndex])],
      'route.precedence',
      `a request matching both ${where(a)} and ${where(b)} goes to the first in anymesh, but may go to the second in Linkerd: ${why}`,
    );
  }
}
