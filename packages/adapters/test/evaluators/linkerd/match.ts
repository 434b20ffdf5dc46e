import type { RequestView } from '@anymesh/core';
import { matchesWhole } from '../regex.js';

/** A Gateway API HTTPRouteMatch as it appears in a manifest. */
export interface HttpRouteMatch {
  path?: { type?: string; value?: string };
  headers?: { type?: string; name: string; value: string }[];
  queryParams?: { type?: string; name: string; value: string }[];
  method?: string;
}

/**
 * How the Linkerd proxy ranks a matched request (linkerd2-proxy `http-route`, `RequestMatch`'s Ord):
 * the matched path length (Exact: the path's; RegularExpression: the whole request path's;
 * PathPrefix: the prefix's without trailing slashes, `/` = 1; no path condition = `/`), then
 * having a method, then the number of header matches, then the number of query matches.
 */
export type Rank = readonly [pathLength: number, method: number, headers: number, query: number];

/** The rank of an implicit match (a rule without matches): prefix `/`. */
export const DEFAULT_RANK: Rank = [1, 0, 0, 0];

/** Segment-wise prefix with trailing slashes ignored on both sides, as the proxy does. */
function prefixLength(prefix: string, path: string): number | undefined {
  if (prefix === '/') return 1;
  const p = prefix.replace(/\/+$/, '');
  const rest = path.replace(/\/+$/, '');
  if (!rest.startsWith(p)) return undefined;
  const tail = rest.slice(p.length);
  return tail === '' || tail.startsWith('/') ? p.length : undefined;
}

function pathLength(m: HttpRouteMatch['path'], path: string): number | undefined {
  const type = m?.type ?? 'PathPrefix';
  const value = m?.value ?? '/';
  if (type === 'Exact') return path === value ? value.length : undefined;
  if (type === 'RegularExpression') return matchesWhole(value, path) ? path.length : undefined;
  return prefixLength(value, path);
}

function valueMatches(m: { type?: string; value: string }, value: string | undefined): boolean {
  if (value === undefined) return false;
  return (m.type ?? 'Exact') === 'Exact' ? value === m.value : matchesWhole(m.value, value);
}

/**
 * A header condition as the proxy tests it: a RegularExpression needs the value as text (http's
 * `HeaderValue::to_str`: tab and visible ASCII only), so it never matches any other value.
 */
function headerMatches(m: { type?: string; value: string }, value: string | undefined): boolean {
  if ((m.type ?? 'Exact') !== 'Exact' && value !== undefined && !/^[\t\x20-\x7e]*$/.test(value)) return false;
  return valueMatches(m, value);
}

/** The rank of a request under one match, or undefined when it does not match. */
export function rankOf(m: HttpRouteMatch, req: RequestView): Rank | undefined {
  if (m.method !== undefined && m.method !== req.method) return undefined;
  const length = pathLength(m.path, req.path);
  if (length === undefined) return undefined;
  const headers = m.headers ?? [];
  if (!headers.every((h) => headerMatches(h, req.headers[h.name.toLowerCase()]))) return undefined;
  const query = m.queryParams ?? [];
  if (!query.every((q) => valueMatches(q, req.query[q.name]))) return undefined;
  return [length, m.method === undefined ? 0 : 1, headers.length, query.length];
}

/** Whether `a` ranks strictly above `b` (equal ranks keep the first seen, as the proxy's `first_max`). */
export function outranks(a: Rank, b: Rank): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

/** The best rank of a rule's matches for a request (a rule without matches: the implicit `/`), or undefined. */
export function ruleRank(
  matches: readonly HttpRouteMatch[] | undefined,
  req: RequestView,
): { rank: Rank; match: HttpRouteMatch | undefined } | undefined {
  if (matches === undefined || matches.length === 0) return { rank: DEFAULT_RANK, match: undefined };
  let best: { rank: Rank; match: HttpRouteMatch } | undefined;
  for (const match of matches) {
    const rank = rankOf(match, req);
    if (rank !== undefined && (best === undefined || outranks(rank, best.rank))) best = { rank, match };
  }
  return best;
}
