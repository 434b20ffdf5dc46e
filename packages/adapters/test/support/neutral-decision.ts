import { buildRouteTable, DEFAULTS, normalizePrefix, routeFor, selectRoute, type PolicySet, type RouteEntry } from '@anymesh/core';
import { redirectPort, sharesOf, type RouteDecision, type RoutedRequest } from '../../src/index.js';

/** Gateway API ReplacePrefixMatch on a segment prefix: `/foo`→`/bar` maps `/foo/x` to `/bar/x`, `/foo` to `/bar`. */
export function replaceSegmentPrefix(prefix: string, replacement: string, path: string): string {
  const p = normalizePrefix(prefix);
  const rest = p === '/' ? (path === '/' ? '' : path) : path.slice(p.length);
  const r = normalizePrefix(replacement);
  return (r === '/' ? '' : r) + rest || '/';
}

/**
 * The path prefix the selected match matched. Validation (AM3011) accepts a prefix rewrite or
 * redirect only on a rule whose matches are all path prefixes, so the match and its prefix exist.
 */
function matchedPrefix(entry: RouteEntry): string {
  return (entry.rule.matches![entry.matchIndex]!.path as { prefix: string }).prefix;
}

/** What the neutral model says happens to a request: core's route table and selection, plus rewrite/redirect semantics. */
export function neutralDecision(set: PolicySet, routed: RoutedRequest): RouteDecision {
  const { namespace, service, request } = routed;
  const route = routeFor(set, namespace, service);
  const entry = route ? selectRoute(buildRouteTable(route), request) : undefined;
  if (!entry) return { kind: 'forward', targets: [{ service, version: undefined, share: 1 }], path: request.path, host: undefined };
  const rule = entry.rule;
  if (rule.redirect) {
    const r = rule.redirect;
    const path =
      r.path ?? (r.pathPrefix !== undefined ? replaceSegmentPrefix(matchedPrefix(entry), r.pathPrefix, request.path) : undefined);
    // The model's Location port: the given one, else the scheme's well-known port when the scheme is set, else the request's.
    const port = redirectPort(r.port ?? (r.scheme === undefined ? 'request' : 'scheme-default'), r.scheme);
    return {
      kind: 'redirect',
      status: r.statusCode ?? DEFAULTS.redirectStatusCode,
      path,
      host: r.host,
      scheme: r.scheme,
      port,
      query: 'kept',
    };
  }
  const dests = rule.destinations ?? [{}];
  const targets = sharesOf(dests, (d) => d.weight ?? DEFAULTS.destinationWeight).map(({ item, share }) => ({
    service: item.service ?? service,
    version: item.version,
    share,
  }));
  const rw = rule.rewrite;
  const path =
    rw?.fullPath ?? (rw?.pathPrefix !== undefined ? replaceSegmentPrefix(matchedPrefix(entry), rw.pathPrefix, request.path) : request.path);
  return { kind: 'forward', targets, path, host: rw?.host };
}

/** Decisions compared with shares rounded to 1e-9 and targets sorted, so equal meanings compare equal. */
export function canonicalDecision(d: RouteDecision): unknown {
  if (d.kind === 'redirect') return d;
  const merged = new Map<string, number>();
  for (const t of d.targets)
    merged.set(`${t.service}/${t.version ?? '*'}`, (merged.get(`${t.service}/${t.version ?? '*'}`) ?? 0) + t.share);
  return {
    kind: d.kind,
    path: d.path,
    host: d.host,
    targets: [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, s]) => [k, Math.round(s * 1e9) / 1e9]),
  };
}
