import { DEFAULTS, normalizePrefix, type Redirect, type RouteRule } from '@anymesh/core';
import type { IstioMatchBlock } from './http-match.js';

/** The replacement written for one half of a segment prefix: `/new` for the exact half, `/new/` for the `p/` half. */
function segmentReplacement(target: string, half: IstioMatchBlock['path']): string {
  const t = normalizePrefix(target);
  if (half === 'segment-exact') return t;
  return t === '/' ? '/' : `${t}/`;
}

/**
 * The rewrite of one match block. Istio's `rewrite.uri` replaces the matched prefix when the block
 * matched by prefix and the whole path otherwise, so a neutral prefix rewrite is written per
 * segment half, and a neutral full-path rewrite after a prefix match uses a whole-path regex rewrite.
 */
export function istioRewrite(rule: RouteRule, blk: IstioMatchBlock): Record<string, unknown> | undefined {
  const r = rule.rewrite;
  if (!r) return undefined;
  let uri: string | undefined;
  let uriRegexRewrite: { match: string; rewrite: string } | undefined;
  if (r.pathPrefix !== undefined && (blk.path === 'segment-exact' || blk.path === 'segment-prefix')) {
    uri = segmentReplacement(r.pathPrefix, blk.path);
  } else if (r.fullPath !== undefined) {
    if (blk.path === 'exact' || blk.path === 'regex') uri = r.fullPath;
    else uriRegexRewrite = { match: '^.*$', rewrite: r.fullPath };
  }
  if (uri === undefined && uriRegexRewrite === undefined && r.host === undefined) return undefined;
  return { uri, uriRegexRewrite, authority: r.host };
}

/** The redirect of one match block; the status code is always explicit (Istio defaults to 301, neutral to 302). */
export function istioRedirect(rule: RouteRule, blk: IstioMatchBlock): Record<string, unknown> | undefined {
  const r = rule.redirect;
  if (!r) return undefined;
  let uri = r.path;
  let prefixRewrite: string | undefined;
  if (r.pathPrefix !== undefined && blk.path === 'segment-exact') uri = segmentReplacement(r.pathPrefix, blk.path);
  if (r.pathPrefix !== undefined && blk.path === 'segment-prefix') prefixRewrite = segmentReplacement(r.pathPrefix, blk.path);
  return {
    uri,
    prefixRewrite,
    authority: r.host,
    scheme: r.scheme,
    ...redirectPortOf(r),
    redirectCode: r.statusCode ?? DEFAULTS.redirectStatusCode,
  };
}

/**
 * The Location's port. Without `port` or `derivePort`, Envoy drops the port whenever the authority
 * is replaced, so a host-only redirect of `web:8080` would point at port 80. The neutral default
 * (Gateway API's) is written the way Istio's own Gateway API translator writes it: the request's
 * port, or the scheme's well-known port when the scheme is set.
 */
function redirectPortOf(r: Redirect): { port: number } | { derivePort: 'FROM_REQUEST_PORT' | 'FROM_PROTOCOL_DEFAULT' } {
  if (r.port !== undefined) return { port: r.port };
  return { derivePort: r.scheme === undefined ? 'FROM_REQUEST_PORT' : 'FROM_PROTOCOL_DEFAULT' };
}

/** Whether a rule needs per-half path actions, so the root prefix `/` must be split too. */
export function needsSegmentSplit(rule: RouteRule): boolean {
  return rule.rewrite?.pathPrefix !== undefined || rule.redirect?.pathPrefix !== undefined;
}
