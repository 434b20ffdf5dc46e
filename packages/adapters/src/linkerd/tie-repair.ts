import type { GatewayMatch } from './http-match.js';
import { compileLinkerdMatch } from './linkerd-match.js';
import { linkerdMayPrefer, pairKey, type EmittedEntry } from './precedence.js';

/** A neutral (rule, match) pair on its way to a Gateway rule, with extra matches added to keep its rank. */
export interface RepairableEntry {
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly match: GatewayMatch;
  /** Which HTTPRoute it will be in: only ties inside one route resolve by position. */
  readonly routeKey: string;
  readonly ignoreCasePrefix: string | undefined;
  readonly extra: GatewayMatch[];
  /**
   * Its Gateway rule must hold this one match and nothing else: a RequestRedirect with
   * ReplacePrefixMatch needs exactly one PathPrefix match (a CEL rule of the HTTPRoute CRD), so
   * such an entry cannot carry narrower copies.
   */
  readonly alone: boolean;
}

type Conditions = { name: string; type: string; value: string }[] | undefined;

function union(a: Conditions, b: Conditions): Conditions | 'conflict' {
  const out = [...(a ?? [])];
  for (const c of b ?? []) {
    const same = out.find((x) => x.name === c.name);
    if (!same) out.push(c);
    else if (same.type !== c.type || same.value !== c.value) return 'conflict';
  }
  return out.length > 0 ? out : undefined;
}

/**
 * `a`'s path with the conditions of both matches: it matches only requests `a` matches (so adding
 * it to a's rule changes nothing neutral), and ranks at least as high as `b` in Linkerd. Undefined
 * when the two disagree on a header or parameter (Gateway API allows one condition per name).
 */
export function narrowed(a: GatewayMatch, b: GatewayMatch): GatewayMatch | undefined {
  if (a.method && b.method && a.method !== b.method) return undefined;
  const headers = union(a.headers, b.headers);
  const queryParams = union(a.queryParams, b.queryParams);
  if (headers === 'conflict' || queryParams === 'conflict') return undefined;
  return {
    path: a.path,
    headers: headers as GatewayMatch['headers'],
    queryParams: queryParams as GatewayMatch['queryParams'],
    method: a.method ?? b.method,
  };
}

function asEmitted(e: RepairableEntry, match: GatewayMatch): EmittedEntry {
  return {
    ruleIndex: e.ruleIndex,
    matchIndex: e.matchIndex,
    linkerd: compileLinkerdMatch(match),
    route: e.routeKey,
    ignoreCasePrefix: e.ignoreCasePrefix,
    extra: false,
  };
}

/** An entry compiled once, for the pairwise checks. */
export type WithMatch = EmittedEntry & { readonly match: GatewayMatch; readonly alone: boolean };

/** `e` compiled, as if it were in HTTPRoute `route`. */
export function tieView(e: RepairableEntry, route: string): WithMatch {
  return { ...asEmitted(e, e.match), route, match: e.match, alone: e.alone };
}

/** `a`'s narrowed copy against `b` when it ranks strictly above `b`: then it wins whatever route either is in. */
function strictRepair(a: WithMatch, b: WithMatch): GatewayMatch | undefined {
  const extra = a.alone ? undefined : narrowed(a.match, b.match);
  if (!extra) return undefined;
  const copy = { ...a, linkerd: compileLinkerdMatch(extra), route: `${b.route}/other` };
  return linkerdMayPrefer(copy, b) === false ? extra : undefined;
}

/**
 * Whether `a` and `b` (a earlier) must share an HTTPRoute to keep their neutral order: Linkerd may
 * rank them equally (across routes even equal ranks tie), and no narrowed copy of `a` outranks `b`.
 */
export function mustShareRoute(a: WithMatch, b: WithMatch): boolean {
  const apart = { ...b, route: `${a.route}/apart` };
  return linkerdMayPrefer(a, apart) === 'tie' && strictRepair(a, apart) === undefined;
}

/**
 * Makes Linkerd keep the neutral winner where the two only tie on path length: an exact `/docs`
 * before a prefix `/docs` with `method: GET` gets the extra match `/docs` + GET, so for GET /docs
 * both rank equal and the earlier rule wins — in one HTTPRoute. Across HTTPRoutes only a copy that
 * ranks strictly higher helps (`x-tenant: t1` before `x-beta: 1` gets both headers). Path-length
 * outranking cannot be fixed this way; it is left to the precedence report, which also sees every
 * added match. Returns the pairs repaired (pairKey).
 */
export function repairTies(entries: readonly RepairableEntry[]): Set<string> {
  const repaired = new Set<string>();
  const compiled = entries.map((e) => tieView(e, e.routeKey));
  entries.forEach((a, i) => {
    entries.forEach((b, j) => {
      if (j <= i || a.ruleIndex === b.ruleIndex) return;
      const ca = compiled[i]!;
      const cb = compiled[j]!;
      if (a.alone || linkerdMayPrefer(ca, cb) !== 'tie') return;
      const extra = a.routeKey === b.routeKey ? narrowed(a.match, b.match) : strictRepair(ca, cb);
      if (!extra) return;
      if (!a.extra.some((x) => JSON.stringify(x) === JSON.stringify(extra))) a.extra.push(extra);
      repaired.add(pairKey(a, b));
    });
  });
  return repaired;
}
