import { compileRegex, durationMs, type RequestView } from '@anymesh/core';
import {
  redirectPort,
  sharesOf,
  type ForwardEffects,
  type RedirectPort,
  type RouteDecision,
  type RoutedRequest,
} from '../shared/route-decision.js';
import type { Manifest } from '../types.js';
import { hostOf, parseHost } from './names.js';

type StringMatch = { exact?: string; prefix?: string; regex?: string };
type MatchBlock = {
  uri?: StringMatch;
  ignoreUriCase?: boolean;
  method?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
};
type IstioRedirect = {
  uri?: string;
  prefixRewrite?: string;
  authority?: string;
  redirectCode?: number;
  scheme?: 'http' | 'https';
  port?: number;
  derivePort?: 'FROM_REQUEST_PORT' | 'FROM_PROTOCOL_DEFAULT';
};
type IstioFault = {
  delay?: { fixedDelay: string; percentage?: { value: number } };
  abort?: { httpStatus: number; percentage?: { value: number } };
};
type IstioHeaderOps = { set?: Record<string, string>; add?: Record<string, string>; remove?: string[] };
type HttpRoute = {
  headers?: { request?: IstioHeaderOps; response?: IstioHeaderOps };
  timeout?: string;
  retries?: { attempts: number; perTryTimeout?: string; retryOn?: string };
  mirror?: { host: string; subset?: string };
  mirrorPercentage?: { value: number };
  fault?: IstioFault;
  match?: MatchBlock[];
  route?: { destination: { host: string; subset?: string }; weight?: number }[];
  redirect?: IstioRedirect;
  rewrite?: { uri?: string; uriRegexRewrite?: { match: string; rewrite: string }; authority?: string };
};

/** Istio StringMatch semantics; an empty match means "present" (in headers) and is used as such here. */
function stringMatches(m: StringMatch, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (m.exact !== undefined) return v === (ignoreCase ? m.exact.toLowerCase() : m.exact);
  if (m.prefix !== undefined) return v.startsWith(ignoreCase ? m.prefix.toLowerCase() : m.prefix);
  if (m.regex !== undefined) {
    const re = compileRegex(m.regex);
    return !('error' in re) && re.matchesWhole(value);
  }
  return true;
}

function blockMatches(b: MatchBlock, req: RequestView): boolean {
  if (b.uri && !stringMatches(b.uri, req.path, b.ignoreUriCase === true)) return false;
  if (b.method && !stringMatches(b.method, req.method)) return false;
  for (const [name, m] of Object.entries(b.headers ?? {})) if (!stringMatches(m, req.headers[name])) return false;
  // withoutHeaders: the block fails when the header matches (for `{}`: when it is present).
  for (const [name, m] of Object.entries(b.withoutHeaders ?? {})) if (stringMatches(m, req.headers[name])) return false;
  for (const [name, m] of Object.entries(b.queryParams ?? {})) if (!stringMatches(m, req.query[name])) return false;
  return true;
}

/** Istio's rewrite.uri: replaces the matched prefix after a prefix match (no uri condition counts as prefix `/`), else the whole path. */
function rewritePath(h: HttpRoute, block: MatchBlock | undefined, path: string): string {
  const r = h.rewrite;
  if (r?.uriRegexRewrite) return path.replace(new RegExp(r.uriRegexRewrite.match, 'g'), r.uriRegexRewrite.rewrite);
  if (r?.uri === undefined) return path;
  if (block?.uri === undefined) return r.uri + path.slice(1);
  if (block.uri.prefix !== undefined) return r.uri + path.slice(block.uri.prefix.length);
  return r.uri;
}

function redirectPath(h: HttpRoute, block: MatchBlock | undefined, path: string): string | undefined {
  const r = h.redirect!;
  if (r.uri !== undefined) return r.uri;
  if (r.prefixRewrite !== undefined && block?.uri?.prefix !== undefined) return r.prefixRewrite + path.slice(block.uri.prefix.length);
  return undefined;
}

/**
 * Timeout, retries, mirror and fault of an http[] entry, with Istio's defaults: no retries field
 * means 2 attempts on `connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes`,
 * a mirror without a percentage mirrors everything, a fault without one faults nothing.
 */
function effectsOf(h: HttpRoute): ForwardEffects {
  const r = h.retries ?? { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' };
  const retries =
    r.attempts === 0
      ? { attempts: 0 }
      : {
          attempts: r.attempts,
          ...(r.perTryTimeout === undefined ? {} : { perTryTimeoutMs: durationMs(r.perTryTimeout) }),
          on: (r.retryOn ?? '')
            .split(',')
            .filter((c) => c !== '')
            .sort(),
        };
  const f = h.fault;
  const fault = f && {
    ...(f.delay && { delay: { fixedMs: durationMs(f.delay.fixedDelay), percent: f.delay.percentage?.value ?? 0 } }),
    ...(f.abort && { abort: { httpStatus: f.abort.httpStatus, percent: f.abort.percentage?.value ?? 0 } }),
  };
  const mirrored = h.mirror && parseHost(h.mirror.host);
  return {
    timeoutMs: h.timeout === undefined ? undefined : durationMs(h.timeout),
    retries,
    headers: { request: h.headers?.request, response: h.headers?.response },
    ...(h.mirror && {
      mirror: { service: mirrored?.service ?? h.mirror.host, version: h.mirror.subset, percent: h.mirrorPercentage?.value ?? 100 },
    }),
    ...(fault && { fault }),
  };
}

/**
 * The Location's port as Envoy builds it from Istio's HTTPRedirect: `FROM_REQUEST_PORT` is the
 * listener's port, the request's; a port equal to the scheme's well-known one is not written at all
 * (the sidecar listener is plain HTTP). With no port written, Envoy drops the port when the authority
 * is replaced and otherwise keeps the request's Host as it came, port included.
 */
function istioRedirectPort(r: IstioRedirect): RedirectPort {
  const written = r.port ?? (r.derivePort === 'FROM_REQUEST_PORT' ? 'request' : undefined);
  const port = written === undefined ? undefined : redirectPort(written, r.scheme);
  if (port !== undefined && port !== 'scheme-default') return port;
  return r.authority !== undefined ? 'scheme-default' : 'request';
}

/**
 * Reads our Istio output the way Istio does: the VirtualService for the service's host, its http[]
 * entries in order, the first whose match list (OR of AND blocks) matches; no VirtualService or no
 * matching entry → the service's endpoints, all versions. Redirect code defaults to 301 as in Istio.
 */
export function evaluateIstioRoute(manifests: readonly Manifest[], routed: RoutedRequest): RouteDecision {
  const host = hostOf(routed.namespace, routed.service);
  const vs = manifests.find((m) => m.kind === 'VirtualService' && (m.spec as { hosts: string[] }).hosts.includes(host));
  const req = routed.request;
  const passthrough: RouteDecision = {
    kind: 'forward',
    targets: [{ service: routed.service, version: undefined, share: 1 }],
    path: req.path,
    host: undefined,
  };
  for (const h of (vs?.spec as { http?: HttpRoute[] } | undefined)?.http ?? []) {
    const block = h.match === undefined ? undefined : h.match.find((b) => blockMatches(b, req));
    if (h.match !== undefined && block === undefined) continue;
    if (h.redirect) {
      return {
        kind: 'redirect',
        status: h.redirect.redirectCode ?? 301,
        path: redirectPath(h, block, req.path),
        host: h.redirect.authority,
        scheme: h.redirect.scheme,
        port: istioRedirectPort(h.redirect),
        // Envoy carries the query over unless the redirect path brings its own.
        query: h.redirect.uri?.includes('?') ? 'dropped' : 'kept',
      };
    }
    const routes = h.route ?? [];
    const weighted = routes.length === 1 ? [{ item: routes[0]!, share: 1 }] : sharesOf(routes, (r) => r.weight ?? 0);
    const targets = weighted.map(({ item, share }) => ({
      service: parseHost(item.destination.host)?.service ?? item.destination.host,
      version: item.destination.subset,
      share,
    }));
    return { kind: 'forward', targets, path: rewritePath(h, block, req.path), host: h.rewrite?.authority, effects: effectsOf(h) };
  }
  return passthrough;
}
