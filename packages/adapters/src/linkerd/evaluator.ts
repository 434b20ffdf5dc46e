import {
  redirectPort,
  sharesOf,
  type HeaderChanges,
  type RedirectPort,
  type RouteDecision,
  type RoutedRequest,
  type WeightedTarget,
} from '../shared/route-decision.js';
import type { Manifest } from '../types.js';
import type { BackendRef } from './backends.js';
import type { GatewayMatch } from './http-match.js';
import { compareSummaries, compileLinkerdMatch, type LinkerdSummary } from './linkerd-match.js';
import { GATEWAY_V1 } from './names.js';
import { SERVICE_LABEL, VERSION_LABEL } from './version-services.js';

interface GatewayRule {
  matches?: GatewayMatch[];
  backendRefs?: BackendRef[];
  filters?: {
    type: string;
    requestRedirect?: LinkerdRedirect;
    requestHeaderModifier?: LinkerdHeaderModifier;
    responseHeaderModifier?: LinkerdHeaderModifier;
  }[];
}

type NamedValues = { name: string; value: string }[];
interface LinkerdHeaderModifier {
  set?: NamedValues;
  add?: NamedValues;
  remove?: string[];
}

/** A Gateway API header modifier filter as header changes (names and values as written). */
function headerChanges(m: LinkerdHeaderModifier | undefined): HeaderChanges | undefined {
  if (m === undefined) return undefined;
  const record = (pairs: NamedValues | undefined) => pairs && Object.fromEntries(pairs.map((p) => [p.name, p.value]));
  return { set: record(m.set), add: record(m.add), remove: m.remove };
}

interface LinkerdRedirect {
  scheme?: 'http' | 'https';
  hostname?: string;
  port?: number;
  path?: { type: string; replaceFullPath?: string; replacePrefixMatch?: string };
  statusCode?: number;
}

interface RouteSpec {
  parentRefs: { kind?: string; name: string; namespace?: string; port?: number }[];
  rules?: GatewayRule[];
}

const DEFAULT_SUMMARY: LinkerdSummary = [1, 0, 0, 0];

/** The outbound routes clients of a service get, for its lowest routed port, oldest first (equal creation times: by name). */
function routesFor(manifests: readonly Manifest[], routed: RoutedRequest): { name: string; spec: RouteSpec }[] {
  const routes = manifests
    .filter((m) => m.apiVersion === GATEWAY_V1 && m.kind === 'HTTPRoute' && (m.metadata.namespace ?? 'default') === routed.namespace)
    .map((m) => ({ name: m.metadata.name, spec: m.spec as RouteSpec }))
    .filter((r) => r.spec.parentRefs.some((p) => p.kind === 'Service' && p.name === routed.service));
  const ports = routes.flatMap((r) => r.spec.parentRefs.map((p) => p.port ?? 0));
  const port = Math.min(...ports);
  return routes.filter((r) => r.spec.parentRefs.some((p) => (p.port ?? 0) === port)).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Linkerd's selection: each rule's best match, then the best rule across routes; the first wins ties. */
function selectRule(
  routes: readonly { spec: RouteSpec }[],
  routed: RoutedRequest,
): { rule: GatewayRule; match: GatewayMatch | undefined } | undefined {
  let best: { summary: LinkerdSummary; rule: GatewayRule; match: GatewayMatch | undefined } | undefined;
  for (const route of routes) {
    for (const rule of route.spec.rules ?? []) {
      let ruleBest: { summary: LinkerdSummary; match: GatewayMatch | undefined } | undefined;
      if (!rule.matches || rule.matches.length === 0) ruleBest = { summary: DEFAULT_SUMMARY, match: undefined };
      for (const m of rule.matches ?? []) {
        const summary = compileLinkerdMatch(m).summarize(routed.request);
        if (summary && (!ruleBest || compareSummaries(summary, ruleBest.summary) > 0)) ruleBest = { summary, match: m };
      }
      if (ruleBest && (!best || compareSummaries(ruleBest.summary, best.summary) > 0)) best = { ...ruleBest, rule };
    }
  }
  return best;
}

/**
 * The proxy's ReplacePrefixMatch: the rest of the path after the matched prefix's length (`/`
 * counts 1, a trailing `/` of the prefix does not count), appended to the replacement as is, with
 * a `/` put between only when the rest does not start with one.
 */
function replacePrefix(prefix: string, replacement: string, path: string): string {
  const length = prefix === '/' ? 1 : prefix.replace(/\/+$/, '').length;
  const rest = path.slice(length);
  return replacement + (rest !== '' && !rest.startsWith('/') ? '/' : '') + rest;
}

/**
 * The proxy's Location port: hostname and port give exactly that authority; a hostname alone keeps
 * the request's port; a port alone replaces the request's (the scheme's well-known port is left out).
 */
function redirectPortOf(r: LinkerdRedirect): RedirectPort {
  if (r.port === undefined) return 'request';
  return redirectPort(r.port, r.scheme);
}

function targetOf(manifests: readonly Manifest[], namespace: string, ref: BackendRef): Omit<WeightedTarget, 'share'> {
  const svc = manifests.find(
    (m) => m.apiVersion === 'v1' && m.kind === 'Service' && m.metadata.name === ref.name && m.metadata.namespace === namespace,
  );
  const service = svc?.metadata.labels?.[SERVICE_LABEL];
  return service ? { service, version: svc?.metadata.labels?.[VERSION_LABEL] } : { service: ref.name, version: undefined };
}

/**
 * Linkerd's reading of our outbound HTTPRoutes (linkerd2-proxy http-route semantics). No routes:
 * the Service as is. Routes but no match: Linkerd's 404, returned as a forward to nobody, so it can
 * never equal a neutral decision.
 */
export function evaluateLinkerdRoute(manifests: readonly Manifest[], routed: RoutedRequest): RouteDecision {
  const path = routed.request.path;
  const routes = routesFor(manifests, routed);
  if (routes.length === 0)
    return { kind: 'forward', targets: [{ service: routed.service, version: undefined, share: 1 }], path, host: undefined };
  const selected = selectRule(routes, routed);
  if (!selected) return { kind: 'forward', targets: [], path, host: undefined };
  const redirect = selected.rule.filters?.find((f) => f.type === 'RequestRedirect')?.requestRedirect;
  if (redirect) {
    const p = redirect.path;
    const matched = selected.match?.path?.value ?? '/';
    const newPath =
      p?.type === 'ReplaceFullPath' ? p.replaceFullPath : p ? replacePrefix(matched, p.replacePrefixMatch ?? '/', path) : undefined;
    return {
      kind: 'redirect',
      status: redirect.statusCode ?? 302,
      path: newPath,
      host: redirect.hostname,
      scheme: redirect.scheme,
      port: redirectPortOf(redirect),
      // A full-path Location is built from the new path alone; the other forms carry the query over.
      query: p?.type === 'ReplaceFullPath' ? 'dropped' : 'kept',
    };
  }
  const targets = sharesOf(selected.rule.backendRefs ?? [], (b) => b.weight).map(({ item, share }) => ({
    ...targetOf(manifests, routed.namespace, item),
    share,
  }));
  const filters = selected.rule.filters ?? [];
  const headers = {
    request: headerChanges(filters.find((f) => f.type === 'RequestHeaderModifier')?.requestHeaderModifier),
    response: headerChanges(filters.find((f) => f.type === 'ResponseHeaderModifier')?.responseHeaderModifier),
  };
  return { kind: 'forward', targets, path, host: undefined, effects: { headers } };
}
