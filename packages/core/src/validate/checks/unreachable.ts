import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { HeaderMatch, PathMatch, QueryMatch, RouteMatch, TrafficRoute } from '../../model/generated.js';
import type { PolicySet } from '../../model/policy-set.js';
import { normalizePrefix, segmentPrefixMatches } from '../../semantics/path-match.js';
import { buildRouteTable } from '../../semantics/route-table.js';
import { compileRegex } from '../../semantics/regex.js';
import { report } from '../report.js';

/**
 * A rule is unreachable when every one of its match blocks is covered by a block that precedes it
 * in precedence order (more specific, or equally specific and earlier): no request can reach it.
 * The coverage test is conservative: it reports only certain shadowing.
 */
export function checkUnreachable(set: PolicySet): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of set.routes) {
    if (!routeRegexesValid(r.object)) continue; // invalid regexes are reported on their own
    const table = buildRouteTable(r.object);
    const matchOf = (e: (typeof table)[number]): RouteMatch | undefined => (e.matchIndex < 0 ? undefined : e.rule.matches?.[e.matchIndex]);
    r.object.spec.rules.forEach((_, ruleIndex) => {
      const own = table.map((e, pos) => ({ e, pos })).filter(({ e }) => e.ruleIndex === ruleIndex);
      const shadows = own.map(({ e, pos }) =>
        table.slice(0, pos).find((earlier) => earlier.ruleIndex !== ruleIndex && covers(matchOf(earlier), matchOf(e))),
      );
      if (own.length === 0 || shadows.some((s) => s === undefined)) return;
      const by = [...new Set(shadows.map((s) => s!.ruleIndex))].map((i) => `spec.rules[${i}]`).join(', ');
      out.push(
        report(
          r,
          'AM3005',
          ['spec', 'rules', ruleIndex],
          `rule ${ruleIndex} can never win: every request it matches is taken first by ${by} (rules win by specificity: exact > regex > longer prefix > method > headers > query, then by order); make its matches more specific, or remove it`,
          'warning',
        ),
      );
    });
  }
  return out;
}

function routeRegexesValid(route: TrafficRoute): boolean {
  return route.spec.rules.every((rule) =>
    (rule.matches ?? []).every((m) => {
      const res = [m.path && 'regex' in m.path ? m.path.regex : undefined];
      for (const h of Object.values(m.headers ?? {})) if ('regex' in h) res.push(h.regex);
      for (const q of Object.values(m.queryParams ?? {})) if ('regex' in q) res.push(q.regex);
      return res.every((re) => re === undefined || !('error' in compileRegex(re)));
    }),
  );
}

/** True when every request matching `b` also matches `a`. */
export function covers(a: RouteMatch | undefined, b: RouteMatch | undefined): boolean {
  if (a?.method !== undefined && a.method !== b?.method) return false;
  if (!pathCovers(a?.path, b?.path)) return false;
  const bHeaders = lowerKeys(b?.headers);
  for (const [name, m] of Object.entries(lowerKeys(a?.headers))) {
    if (!valueCovers(m, bHeaders[name])) return false;
  }
  for (const [name, m] of Object.entries(a?.queryParams ?? {})) {
    if (!valueCovers(m, b?.queryParams?.[name])) return false;
  }
  return true;
}

function pathCovers(a: PathMatch | undefined, b: PathMatch | undefined): boolean {
  if (a === undefined) return true;
  if ('prefix' in a && normalizePrefix(a.prefix) === '/') return true;
  if (b === undefined) return false;
  const aCase = 'regex' in a ? false : a.ignoreCase === true;
  const bCase = 'regex' in b ? false : b.ignoreCase === true;
  if (bCase && !aCase) return false;
  const fold = (s: string) => (aCase ? s.toLowerCase() : s);
  if ('exact' in a) return 'exact' in b && fold(a.exact) === fold(b.exact);
  if ('prefix' in a) {
    if ('exact' in b) return segmentPrefixMatches(fold(a.prefix), fold(b.exact));
    if ('prefix' in b) return segmentPrefixMatches(fold(a.prefix), fold(normalizePrefix(b.prefix)));
    return false;
  }
  return 'regex' in b && a.regex === b.regex;
}

function valueCovers(a: HeaderMatch | QueryMatch, b: HeaderMatch | QueryMatch | undefined): boolean {
  if (b === undefined) return false;
  if ('present' in a) return !('absent' in b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function lowerKeys<T>(m: Record<string, T> | undefined): Record<string, T> {
  return Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}
