import type { RequestView } from '@anymesh/core';
import type { Manifest, RouteDecision, RoutedRequest, WeightedTarget } from '../../../src/index.js';
import { namespaceOfObject, type AppliedState } from '../applied-state.js';
import { matchesWhole } from '../regex.js';
import { allPods, endpointsOf, selects, targetOfPods } from '../workloads.js';
import { istioEffects, istioLocationPort, type IstioEffectsFields, type IstioRedirect } from './effects.js';
import { qualify, serviceOfHost } from './hosts.js';

type StringMatch = { exact?: string; prefix?: string; regex?: string };
type MatchBlock = {
  uri?: StringMatch;
  ignoreUriCase?: boolean;
  method?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
};
type Destination = { destination: { host: string; subset?: string }; weight?: number };
type HttpRoute = IstioEffectsFields & {
  match?: MatchBlock[];
  route?: Destination[];
  redirect?: IstioRedirect;
  rewrite?: { uri?: string; uriRegexRewrite?: { match: string; rewrite: string }; authority?: string };
};
type Subset = { name: string; labels?: Record<string, string> };

const ISTIO_NETWORKING = 'networking.istio.io';

/** Istio StringMatch: exact, character prefix, RE2 full match; an empty match (`{}`) means "present". */
function stringMatches(m: StringMatch, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if (m.exact !== undefined) return fold(value) === fold(m.exact);
  if (m.prefix !== undefined) return fold(value).startsWith(fold(m.prefix));
  if (m.regex !== undefined) return matchesWhole(m.regex, value);
  return true;
}

/** One HTTPMatchRequest: all its conditions (header names compare case-insensitively, as HTTP does). */
function blockMatches(b: MatchBlock, req: RequestView): boolean {
  const header = (name: string) => req.headers[name.toLowerCase()];
  if (b.uri && !stringMatches(b.uri, req.path, b.ignoreUriCase === true)) return false;
  if (b.method && !stringMatches(b.method, req.method)) return false;
  if (Object.entries(b.headers ?? {}).some(([n, m]) => !stringMatches(m, header(n)))) return false;
  if (Object.entries(b.withoutHeaders ?? {}).some(([n, m]) => stringMatches(m, header(n)))) return false;
  return Object.entries(b.queryParams ?? {}).every(([n, m]) => stringMatches(m, req.query[n]));
}

/** `rewrite.uri` replaces the matched prefix (no uri condition: the prefix `/`), or the whole path after another match. */
function rewritePath(h: HttpRoute, block: MatchBlock | undefined, path: string): string {
  const r = h.rewrite;
  if (r?.uriRegexRewrite) return path.replace(new RegExp(r.uriRegexRewrite.match, 'g'), r.uriRegexRewrite.rewrite);
  if (r?.uri === undefined) return path;
  if (block?.uri === undefined) return r.uri + path.slice(1);
  if (block.uri.prefix !== undefined) return r.uri + path.slice(block.uri.prefix.length);
  return r.uri;
}

/** The VirtualService that holds the host (first applied wins, as istiod keeps the oldest of conflicting ones). */
function virtualServiceFor(state: AppliedState, fqdn: string): Manifest | undefined {
  return state
    .list('VirtualService', { group: ISTIO_NETWORKING })
    .find((vs) => ((vs.spec as { hosts?: string[] }).hosts ?? []).some((h) => qualify(h, namespaceOfObject(vs)) === fqdn));
}

/** A destination's pods: the host's endpoints, narrowed by the subset's labels from the host's DestinationRule. */
function destinationPods(state: AppliedState, vsNamespace: string, d: Destination['destination']): Manifest[] | undefined {
  const fqdn = qualify(d.host, vsNamespace);
  const svc = serviceOfHost(fqdn);
  if (svc === undefined) return undefined;
  const endpoints = endpointsOf(state, svc.namespace, svc.service);
  if (d.subset === undefined) return endpoints;
  const rule = state
    .list('DestinationRule', { group: ISTIO_NETWORKING })
    .find((dr) => qualify((dr.spec as { host: string }).host, namespaceOfObject(dr)) === fqdn);
  const subset = ((rule?.spec as { subsets?: Subset[] } | undefined)?.subsets ?? []).find((s) => s.name === d.subset);
  // An unknown subset has no cluster in Envoy: the request fails (503), i.e. reaches nobody.
  return subset === undefined ? [] : endpoints.filter((p) => selects(subset.labels, p.metadata.labels));
}

/**
 * Weights are relative integers: a lone destination takes everything; otherwise each gets
 * weight / sum (an absent weight is 0 and a zero weight receives nothing).
 */
function weightedTargets(state: AppliedState, vsNamespace: string, routes: readonly Destination[], service: string): WeightedTarget[] {
  const weights = routes.length === 1 ? [1] : routes.map((r) => r.weight ?? 0);
  let total = 0;
  for (const w of weights) total += w;
  const targets: WeightedTarget[] = [];
  routes.forEach((r, i) => {
    const w = weights[i]!;
    if (w <= 0) return;
    const pods = destinationPods(state, vsNamespace, r.destination);
    const target = pods === undefined ? { service: r.destination.host, version: undefined } : targetOfPods(pods, allPods(state), service);
    targets.push({ ...target, share: w / total });
  });
  return targets;
}

/**
 * Istio's reading of the applied state for a request to a Kubernetes service: the VirtualService
 * whose hosts name the service, its http[] entries in order, the first whose match list (OR of AND
 * blocks) matches; no VirtualService or no matching entry → the service's endpoints, all versions.
 * A redirect's code defaults to 301.
 */
export function evaluateIstioRoute(state: AppliedState, routed: RoutedRequest): RouteDecision {
  const fqdn = `${routed.service}.${routed.namespace}.svc.cluster.local`;
  const vs = virtualServiceFor(state, fqdn);
  const req = routed.request;
  for (const h of (vs?.spec as { http?: HttpRoute[] } | undefined)?.http ?? []) {
    const block = h.match === undefined ? undefined : h.match.find((b) => blockMatches(b, req));
    if (h.match !== undefined && block === undefined) continue;
    if (h.redirect) {
      const r = h.redirect;
      const prefix = block?.uri?.prefix;
      const path =
        r.uri ?? (r.prefixRewrite !== undefined && prefix !== undefined ? r.prefixRewrite + req.path.slice(prefix.length) : undefined);
      return {
        kind: 'redirect',
        status: r.redirectCode ?? 301,
        path,
        host: r.authority,
        scheme: r.scheme,
        port: istioLocationPort(r),
        // Envoy carries the query over unless the redirect path brings its own.
        query: r.uri?.includes('?') ? 'dropped' : 'kept',
      };
    }
    const vsNamespace = namespaceOfObject(vs!);
    const targets = weightedTargets(state, vsNamespace, h.route ?? [], routed.service);
    return {
      kind: 'forward',
      targets,
      path: rewritePath(h, block, req.path),
      host: h.rewrite?.authority,
      effects: istioEffects(h, vsNamespace),
    };
  }
  const pods = endpointsOf(state, routed.namespace, routed.service);
  return {
    kind: 'forward',
    targets: [{ ...targetOfPods(pods, allPods(state), routed.service), share: 1 }],
    path: req.path,
    host: undefined,
  };
}
