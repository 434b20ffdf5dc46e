import type { RequestView } from '@anymesh/core';
import type { RouteDecision, RoutedRequest, WeightedTarget } from '../../../src/index.js';
import type {
  HeaderMatchSpec,
  HttpRouteMatchSpec,
  QueryMatchSpec,
  RouterRouteSpec,
  ServiceResolverSpec,
  ServiceRouterSpec,
  ServiceSplitterSpec,
} from '../../../src/consul/consul-types.js';
import type { AppliedState } from '../applied-state.js';
import { matchesWhole } from '../regex.js';

/**
 * Reads generated Consul config entries the way Consul's discovery chain does (router → splitter
 * → resolver), independently of how they were produced: routes are first-match, prefixes are
 * character prefixes, regexes match whole values, a destination without a subset is split by the
 * target's splitter, subsets are resolved through the resolver's filter, and a request no route
 * matches goes to the router's own service.
 */
function specOf<T>(state: AppliedState, kind: string, namespace: string, name: string): T | undefined {
  return state.get(kind, namespace, name, 'consul.hashicorp.com')?.spec as T | undefined;
}

function valueMatches(spec: { exact?: string; prefix?: string; regex?: string; present?: boolean }, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (spec.exact !== undefined) return value === spec.exact;
  if (spec.prefix !== undefined) return value.startsWith(spec.prefix);
  if (spec.regex !== undefined) return matchesWhole(spec.regex, value);
  return spec.present === true;
}

function headerMatches(h: HeaderMatchSpec, req: RequestView): boolean {
  return valueMatches(h, req.headers[h.name.toLowerCase()]) !== (h.invert === true);
}

function queryMatches(q: QueryMatchSpec, req: RequestView): boolean {
  return valueMatches(q, req.query[q.name]);
}

function pathMatches(m: HttpRouteMatchSpec, path: string): boolean {
  const fold = (s: string) => (m.caseInsensitive ? s.toLowerCase() : s);
  if (m.pathExact !== undefined) return fold(path) === fold(m.pathExact);
  if (m.pathPrefix !== undefined) return fold(path).startsWith(fold(m.pathPrefix));
  if (m.pathRegex !== undefined) return matchesWhole(m.pathRegex, path);
  return true;
}

export function routeMatches(route: RouterRouteSpec, req: RequestView): boolean {
  const m = route.match?.http;
  if (m === undefined) return true;
  return (
    pathMatches(m, req.path) &&
    (m.methods === undefined || m.methods.includes(req.method)) &&
    (m.header ?? []).every((h) => headerMatches(h, req)) &&
    (m.queryParam ?? []).every((q) => queryMatches(q, req))
  );
}

/** The first route of the service's router that matches, or undefined (Consul's implicit catch-all). */
export function matchedConsulRoute(state: AppliedState, routed: RoutedRequest): RouterRouteSpec | undefined {
  const router = specOf<ServiceRouterSpec>(state, 'ServiceRouter', routed.namespace, routed.service);
  return router?.routes.find((r) => routeMatches(r, routed.request));
}

function versionOfSubset(resolver: ServiceResolverSpec | undefined, subset: string): string {
  const filter = resolver?.subsets?.[subset]?.filter;
  const m = filter === undefined ? null : /^Service\.Meta\.version == "([^"]*)"$/.exec(filter);
  if (m === null) throw new Error(`subset ${subset} has no version filter the evaluator understands: ${String(filter)}`);
  return m[1]!;
}

function resolveTargets(
  state: AppliedState,
  ns: string,
  service: string,
  subset: string | undefined,
  share: number,
  depth = 0,
): WeightedTarget[] {
  if (depth > 8) throw new Error(`discovery chain of ${service} is too deep`);
  const resolver = specOf<ServiceResolverSpec>(state, 'ServiceResolver', ns, service);
  if (subset !== undefined) return [{ service, version: versionOfSubset(resolver, subset), share }];
  // Only a destination without a subset is eligible for splitting.
  const splitter = specOf<ServiceSplitterSpec>(state, 'ServiceSplitter', ns, service);
  if (splitter !== undefined) {
    return splitter.splits
      .filter((s) => s.weight > 0)
      .flatMap((s) => resolveTargets(state, ns, s.service ?? service, s.serviceSubset, (share * s.weight) / 100, depth + 1));
  }
  if (resolver?.redirect) return resolveTargets(state, ns, resolver.redirect.service, resolver.redirect.serviceSubset, share, depth + 1);
  if (resolver?.defaultSubset) return [{ service, version: versionOfSubset(resolver, resolver.defaultSubset), share }];
  return [{ service, version: undefined, share }];
}

function rewrittenPath(route: RouterRouteSpec | undefined, path: string): string {
  const rewrite = route?.destination?.prefixRewrite;
  const m = route?.match?.http;
  if (rewrite === undefined || m === undefined) return path;
  // Envoy's prefix_rewrite replaces as many characters as the matched prefix (or exact path) has.
  const matched = m.pathPrefix ?? m.pathExact;
  return matched === undefined ? path : rewrite + path.slice(matched.length);
}

/** The Consul reading of one request: see the file comment. Consul cannot redirect or rewrite the host. */
export function evaluateConsulRoute(state: AppliedState, routed: RoutedRequest): RouteDecision {
  const route = matchedConsulRoute(state, routed);
  const dest = route?.destination;
  const targets = resolveTargets(state, routed.namespace, dest?.service ?? routed.service, dest?.serviceSubset, 1);
  const path = rewrittenPath(route, routed.request.path);
  if (route === undefined) return { kind: 'forward', targets, path, host: undefined };
  // Header changes ride on the matched route's destination.
  const headers = { request: dest?.requestHeaders, response: dest?.responseHeaders };
  return { kind: 'forward', targets, path, host: undefined, effects: { headers } };
}
