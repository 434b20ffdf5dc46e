import { normalizePrefix, type HeaderMatch, type QueryMatch, type RouteMatch } from '@anymesh/core';
import type { HeaderMatchSpec, HttpRouteMatchSpec, QueryMatchSpec } from './consul-types.js';

/**
 * One Consul match that stands for (part of) a neutral match. A neutral segment prefix becomes
 * two of them because Consul's `pathPrefix` is a character prefix (`/foo` would match `/foobar`).
 * `rewrite` turns a neutral prefix rewrite into the `prefixRewrite` this variant needs.
 */
export interface MatchVariant {
  readonly http: HttpRouteMatchSpec;
  readonly kind: 'exact' | 'prefix' | 'regex' | 'any';
  readonly rewritePrefix: (neutralPrefix: string) => string;
}

function headerSpec(name: string, m: HeaderMatch): HeaderMatchSpec {
  const lower = name.toLowerCase();
  if ('exact' in m) return { name: lower, exact: m.exact };
  if ('prefix' in m) return { name: lower, prefix: m.prefix };
  if ('regex' in m) return { name: lower, regex: m.regex };
  if ('present' in m) return { name: lower, present: true };
  // "absent" is "present", inverted.
  return { name: lower, present: true, invert: true };
}

function querySpec(name: string, m: QueryMatch): QueryMatchSpec {
  if ('exact' in m) return { name, exact: m.exact };
  if ('regex' in m) return { name, regex: m.regex };
  return { name, present: true };
}

function withSlash(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** The path that replaces a whole matched prefix: a trailing `/` of the replacement is ignored, as in the neutral model. */
const wholeReplacement = (r: string) => normalizePrefix(r);
/** The replacement of a matched `<prefix>/`: Consul strips the slash too, so it must end in one. */
const slashReplacement = (r: string) => withSlash(normalizePrefix(r));
const identity = (r: string) => r;

/**
 * The Consul matches (OR) equivalent to one neutral match block; `undefined` is the catch-all.
 * `rewrites`: the rule rewrites the prefix, so the root prefix `/` also needs its own exact route
 * (`/` → the replacement, while `/x` → replacement + `/x`).
 */
export function consulMatches(match: RouteMatch | undefined, rewrites = false): MatchVariant[] {
  const common: HttpRouteMatchSpec = {};
  const headers = Object.entries(match?.headers ?? {}).map(([n, m]) => headerSpec(n, m));
  const query = Object.entries(match?.queryParams ?? {}).map(([n, m]) => querySpec(n, m));
  if (headers.length > 0) common.header = headers;
  if (query.length > 0) common.queryParam = query;
  if (match?.method) common.methods = [match.method];
  const path = match?.path;
  if (path !== undefined && 'regex' in path)
    return [{ http: { ...common, pathRegex: path.regex }, kind: 'regex', rewritePrefix: identity }];
  const caseInsensitive = path?.ignoreCase ? { caseInsensitive: true } : {};
  if (path !== undefined && 'exact' in path) {
    return [{ http: { ...common, pathExact: path.exact, ...caseInsensitive }, kind: 'exact', rewritePrefix: identity }];
  }
  const prefix = path === undefined ? '/' : normalizePrefix(path.prefix);
  const kind = path === undefined ? 'any' : 'prefix';
  if (prefix === '/') {
    const all: MatchVariant = { http: { ...common, pathPrefix: '/', ...caseInsensitive }, kind, rewritePrefix: slashReplacement };
    if (!rewrites) return [all];
    return [{ http: { ...common, pathExact: '/', ...caseInsensitive }, kind: 'exact', rewritePrefix: wholeReplacement }, all];
  }
  return [
    // `/foo` itself: the rewrite replaces the whole path.
    { http: { ...common, pathExact: prefix, ...caseInsensitive }, kind: 'exact', rewritePrefix: wholeReplacement },
    // `/foo/…`: Consul strips `/foo/`, so the replacement must end in `/` to keep the segment boundary.
    { http: { ...common, pathPrefix: `${prefix}/`, ...caseInsensitive }, kind: 'prefix', rewritePrefix: slashReplacement },
  ];
}
