import type { HeaderChanges, Manifest, RedirectPort, RouteDecision, RoutedRequest, WeightedTarget } from '../../../src/index.js';
import type { AppliedState } from '../applied-state.js';
import { decisionPort } from '../redirect-port.js';
import { allPods, endpointsOf, targetOfPods } from '../workloads.js';
import { outranks, ruleRank, type HttpRouteMatch, type Rank } from './match.js';

interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
}
interface Rule {
  matches?: HttpRouteMatch[];
  backendRefs?: BackendRef[];
  filters?: {
    type: string;
    requestRedirect?: LinkerdRedirect;
    requestHeaderModifier?: HeaderModifier;
    responseHeaderModifier?: HeaderModifier;
  }[];
}
interface LinkerdRedirect {
  scheme?: 'http' | 'https';
  hostname?: string;
  port?: number;
  path?: { type: string; replaceFullPath?: string; replacePrefixMatch?: string };
  statusCode?: number;
}
type NamedValues = { name: string; value: string }[];
interface HeaderModifier {
  set?: NamedValues;
  add?: NamedValues;
  remove?: string[];
}

/** A Gateway API header modifier filter as header changes (names and values as written). */
function headerChanges(m: HeaderModifier | undefined): HeaderChanges | undefined {
  if (m === undefined) return undefined;
  const record = (pairs: NamedValues | undefined) => pairs && Object.fromEntries(pairs.map((p) => [p.name, p.value]));
  return { set: record(m.set), add: record(m.add), remove: m.remove };
}

/**
 * The proxy's Location port: hostname and port give exactly that authority; a hostname alone keeps
 * the request's port; a port alone replaces the request's (the scheme's well-known port is left out).
 */
function locationPort(r: LinkerdRedirect): RedirectPort {
  return r.port === undefined ? 'request' : decisionPort(r.port, r.scheme);
}
interface RouteSpec {
  parentRefs?: { group?: string; kind?: string; name: string; namespace?: string; port?: number }[];
  rules?: Rule[];
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The port a client calls: the request's, else the Service's first port. */
function calledPort(state: AppliedState, routed: RoutedRequest & { port?: number }): number | undefined {
  const svc = state.get('Service', routed.namespace, routed.service, '');
  return routed.port ?? (svc?.spec as { ports?: { port: number }[] } | undefined)?.ports?.[0]?.port;
}

/**
 * The HTTPRoutes attached to a Service port: parentRef kind Service (core group) naming it, in the
 * route's namespace unless the ref says another, on that port or on every port (no port). Ordered
 * as the policy controller orders them: creation time, then name (applied together: by name).
 */
function attachedRoutes(state: AppliedState, routed: RoutedRequest, port: number | undefined): { name: string; spec: RouteSpec }[] {
  return state
    .list('HTTPRoute', { group: GATEWAY_GROUP })
    .filter((m) =>
      ((m.spec as RouteSpec).parentRefs ?? []).some(
        (p) =>
          (p.kind ?? 'Gateway') === 'Service' &&
          (p.group ?? '') === '' &&
          p.name === routed.service &&
          (p.namespace ?? m.metadata.namespace ?? 'default') === routed.namespace &&
          (p.port === undefined || p.port === port),
      ),
    )
    .map((m) => ({ name: m.metadata.name, spec: m.spec as RouteSpec }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The proxy's `find`: each rule's best match, the best rule across all routes; the first wins ties. */
function selectRule(
  routes: readonly { spec: RouteSpec }[],
  routed: RoutedRequest,
): { rank: Rank; rule: Rule; match: HttpRouteMatch | undefined } | undefined {
  let best: { rank: Rank; rule: Rule; match: HttpRouteMatch | undefined } | undefined;
  for (const route of routes)
    for (const rule of route.spec.rules ?? []) {
      const ranked = ruleRank(rule.matches, routed.request);
      if (ranked && (best === undefined || outranks(ranked.rank, best.rank))) best = { ...ranked, rule };
    }
  return best;
}

/**
 * The proxy's ReplacePrefixMatch (linkerd2-proxy `RedirectRequest::path_and_query`): the first
 * matched-prefix-length characters of the path become the new prefix, with a `/` added when the rest
 * does not start with one. Only after a PathPrefix match; otherwise the proxy fails the request.
 */
function replacePrefix(matchedLength: number, replacement: string, path: string): string {
  const rest = path.slice(matchedLength);
  return replacement + (rest !== '' && !rest.startsWith('/') ? '/' : '') + rest;
}

/** Backends share by weight / sum of weights (default 1); weight 0 gets nothing; a backend is a Service's endpoints. */
function backendTargets(state: AppliedState, namespace: string, refs: readonly BackendRef[], service: string): WeightedTarget[] {
  const weightOf = (r: BackendRef) => r.weight ?? 1;
  let total = 0;
  for (const r of refs) total += weightOf(r);
  const targets: WeightedTarget[] = [];
  for (const r of refs) {
    if (weightOf(r) <= 0) continue;
    const pods: Manifest[] = endpointsOf(state, r.namespace ?? namespace, r.name);
    targets.push({ ...targetOfPods(pods, allPods(state), service), share: weightOf(r) / total });
  }
  return targets;
}

/**
 * Linkerd's reading of the applied state for a request from a meshed client to a Service: the
 * HTTPRoutes attached to the Service port; none → the Service's endpoints; routes but no match →
 * the proxy answers 404 itself, returned as a forward to nobody (never equal to a neutral decision).
 */
export function evaluateLinkerdRoute(state: AppliedState, routed: RoutedRequest & { port?: number }): RouteDecision {
  const path = routed.request.path;
  const routes = attachedRoutes(state, routed, calledPort(state, routed));
  if (routes.length === 0) {
    const pods = endpointsOf(state, routed.namespace, routed.service);
    return { kind: 'forward', targets: [{ ...targetOfPods(pods, allPods(state), routed.service), share: 1 }], path, host: undefined };
  }
  const selected = selectRule(routes, routed);
  if (!selected) return { kind: 'forward', targets: [], path, host: undefined };
  const redirect = selected.rule.filters?.find((f) => f.type === 'RequestRedirect')?.requestRedirect;
  if (redirect) {
    const p = redirect.path;
    const byPrefix = (selected.match?.path?.type ?? 'PathPrefix') === 'PathPrefix';
    if (p?.type === 'ReplacePrefixMatch' && !byPrefix) return { kind: 'forward', targets: [], path, host: undefined };
    const newPath =
      p?.type === 'ReplaceFullPath'
        ? p.replaceFullPath
        : p
          ? replacePrefix(selected.rank[0], p.replacePrefixMatch ?? '/', path)
          : undefined;
    return {
      kind: 'redirect',
      status: Number(redirect.statusCode ?? 302),
      path: newPath,
      host: redirect.hostname,
      scheme: redirect.scheme,
      port: locationPort(redirect),
      // A full-path Location is built from the new path alone; the other forms carry the query over.
      query: p?.type === 'ReplaceFullPath' ? 'dropped' : 'kept',
    };
  }
  const targets = backendTargets(state, routed.namespace, selected.rule.backendRefs ?? [], routed.service);
  const filters = selected.rule.filters ?? [];
  const headers = {
    request: headerChanges(filters.find((f) => f.type === 'RequestHeaderModifier')?.requestHeaderModifier),
    response: headerChanges(filters.find((f) => f.type === 'ResponseHeaderModifier')?.responseHeaderModifier),
  };
  return { kind: 'forward', targets, path, host: undefined, effects: { headers } };
}
