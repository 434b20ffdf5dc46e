import { normalizePrefix, type HeaderMatch, type QueryMatch, type RouteMatch } from '@anymesh/core';
import { anchored } from './names.js';

type StringMatch = { exact?: string; prefix?: string; regex?: string };

/** One Istio `HTTPMatchRequest`, and how its path condition relates to the neutral one. */
export interface IstioMatchBlock {
  readonly block: Record<string, unknown>;
  /**
   * `segment-exact`/`segment-prefix`: the two halves of a neutral segment prefix `p` (`uri.exact: p`,
   * `uri.prefix: p/`); `exact`/`regex`: a neutral exact or regex path; `any`: no path condition.
   */
  readonly path: 'segment-exact' | 'segment-prefix' | 'exact' | 'regex' | 'any';
  /** The normalized neutral prefix, for the segment halves. */
  readonly prefix?: string;
}

function headerMatch(m: HeaderMatch): StringMatch {
  if ('exact' in m) return { exact: m.exact };
  if ('prefix' in m) return { prefix: m.prefix };
  if ('regex' in m) return { regex: anchored(m.regex) };
  // `present` and `absent` are both written `{}`: in `headers` it means present, in `withoutHeaders` absent.
  return {};
}

function queryMatch(m: QueryMatch): StringMatch {
  if ('exact' in m) return { exact: m.exact };
  if ('regex' in m) return { regex: anchored(m.regex) };
  // Any value, including empty, but the parameter must be there.
  return { regex: '.*' };
}

function conditions(m: RouteMatch | undefined): Record<string, unknown> {
  const headers: Record<string, StringMatch> = {};
  const without: Record<string, StringMatch> = {};
  for (const [name, h] of Object.entries(m?.headers ?? {})) {
    // Istio requires lower-case header keys; neutral header names are case-insensitive anyway.
    if ('absent' in h) without[name.toLowerCase()] = {};
    else headers[name.toLowerCase()] = headerMatch(h);
  }
  const query = Object.fromEntries(Object.entries(m?.queryParams ?? {}).map(([k, q]) => [k, queryMatch(q)]));
  return {
    headers: Object.keys(headers).length ? headers : undefined,
    withoutHeaders: Object.keys(without).length ? without : undefined,
    queryParams: Object.keys(query).length ? query : undefined,
    method: m?.method ? { exact: m.method } : undefined,
  };
}

/**
 * A neutral match → Istio match blocks (OR). A segment-wise prefix `/foo` becomes two blocks,
 * `uri.exact: /foo` and `uri.prefix: /foo/`, because Istio's prefix is character-wise (`/foo`
 * would also match `/foobar`). `splitRoot` also splits the catch-all prefix `/` (needed when a
 * prefix rewrite must treat `/` and `/x` differently).
 */
export function istioMatchBlocks(m: RouteMatch | undefined, splitRoot: boolean): IstioMatchBlock[] {
  const rest = conditions(m);
  const path = m?.path;
  if (path === undefined || ('prefix' in path && normalizePrefix(path.prefix) === '/')) {
    if (!splitRoot) return [{ block: rest, path: 'any' }];
    return [
      { block: { ...rest, uri: { exact: '/' } }, path: 'segment-exact', prefix: '/' },
      { block: { ...rest, uri: { prefix: '/' } }, path: 'segment-prefix', prefix: '/' },
    ];
  }
  const ignoreUriCase = !('regex' in path) && path.ignoreCase ? true : undefined;
  if ('exact' in path) return [{ block: { ...rest, uri: { exact: path.exact }, ignoreUriCase }, path: 'exact' }];
  if ('regex' in path) return [{ block: { ...rest, uri: { regex: anchored(path.regex) } }, path: 'regex' }];
  const p = normalizePrefix(path.prefix);
  return [
    { block: { ...rest, uri: { exact: p }, ignoreUriCase }, path: 'segment-exact', prefix: p },
    { block: { ...rest, uri: { prefix: `${p}/` }, ignoreUriCase }, path: 'segment-prefix', prefix: p },
  ];
}
