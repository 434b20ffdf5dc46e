import type { AbMatch, HeaderMatch, RouteMatch } from '../model/generated.js';
import { compileHeaderMatch } from '../semantics/route-match.js';

/**
 * A cohort's match blocks as route matches: headers as written; a cookie becomes a condition on the
 * `cookie` header that holds when the cookie with exactly that name has exactly that value.
 * A block that contradicts itself (its `cookie` header condition excludes the cookie) is dropped.
 */
export function cohortMatches(matches: readonly AbMatch[]): RouteMatch[] {
  const out: RouteMatch[] = [];
  for (const m of matches) {
    const headers: RouteMatch = m.headers ? { headers: m.headers } : {};
    const block = m.cookie ? conjoin(headers, { headers: { cookie: { regex: cookieRegex(m.cookie.name, m.cookie.value) } } }) : headers;
    if (block) out.push(block);
  }
  return out;
}

/**
 * RE2, matched against the whole `cookie` header (`a=1; tester=yes; b=2`): the pair is the whole
 * header or is bounded by `;` (RFC 6265) or `,` (repeated headers are joined with ", ") on each side.
 */
export function cookieRegex(name: string, value: string): string {
  return `(.*[;,][ \\t]*)?${escapeRe2(name)}=${escapeRe2(value)}([ \\t]*[;,].*)?`;
}

function escapeRe2(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/**
 * `m ∧ c`: an authored match block narrowed to a cohort. Path, method and query come from `m` (a
 * cohort only has headers). A header both name is combined (names are case-insensitive; `m`'s
 * spelling is kept): undefined when the two conditions exclude each other or their conjunction
 * cannot be written as one condition (a regex with another prefix or regex).
 */
export function conjoin(m: RouteMatch | undefined, c: RouteMatch): RouteMatch | undefined {
  const headers: Record<string, HeaderMatch> = { ...(m?.headers ?? {}) };
  const spelling = new Map(Object.keys(headers).map((k) => [k.toLowerCase(), k]));
  for (const [name, cond] of Object.entries(c.headers ?? {})) {
    const key = spelling.get(name.toLowerCase());
    if (key === undefined) {
      headers[name] = cond;
      spelling.set(name.toLowerCase(), name);
      continue;
    }
    const both = bothHold(headers[key]!, cond);
    if (both === undefined) return undefined;
    headers[key] = both;
  }
  return { ...(m ?? {}), headers };
}

/** One condition equivalent to `a ∧ b`, or undefined when none exists (disjoint, or not expressible). */
export function bothHold(a: HeaderMatch, b: HeaderMatch): HeaderMatch | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if ('absent' in a || 'absent' in b) return undefined; // absent with anything else that is not absent
  if ('present' in a) return b;
  if ('present' in b) return a;
  if ('exact' in a) return compileHeaderMatch(b)(a.exact) ? a : undefined;
  if ('exact' in b) return compileHeaderMatch(a)(b.exact) ? b : undefined;
  if ('prefix' in a && 'prefix' in b) {
    if (a.prefix.startsWith(b.prefix)) return a;
    if (b.prefix.startsWith(a.prefix)) return b;
    return undefined;
  }
  return undefined;
}
