import { buildRouteTable, normalizePrefix, routeFor, selectRoute, type PolicySet, type RouteRule } from '@anymesh/core';
import { sharesOf, type RouteDecision, type RoutedRequest } from '../src/shared/route-decision.js';

/** Gateway API ReplacePrefixMatch: the matched segment prefix is replaced, keeping one `/` at the seam. */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const rest = prefix === '/' ? path : path.slice(prefix.length);
  if (replacement.endsWith('/') && rest.startsWith('/')) return replacement + rest.slice(1);
  return replacement + rest;
}

function matchedPrefix(rule: RouteRule, matchIndex: number): string {
  const path = matchIndex === -1 ? undefined : rule.matches?.[matchIndex]?.path;
  return path !== undefined && 'prefix' in path ? normalizePrefix(path.prefix) : '/';
}

/** The neutral model's decision for a request, from core's route table (the reference side of the fidelity test). */
export function neutralRouteDecision(set: PolicySet, routed: RoutedRequest): RouteDecision & { ruleIndex: number | undefined } {
  const route = routeFor(set, routed.namespace, routed.service);
  const entry = route ? selectRoute(buildRouteTable(route), routed.request) : undefined;
  const path = routed.request.path;
  if (entry === undefined) {
    return {
      kind: 'forward',
      targets: [{ service: routed.service, version: undefined, share: 1 }],
      path,
      host: undefined,
      ruleIndex: undefined,
    };
  }
  const rule = entry.rule;
  if (rule.redirect)
    return { kind: 'redirect', status: rule.redirect.statusCode ?? 302, path: undefined, host: undefined, ruleIndex: entry.ruleIndex };
  const targets = sharesOf(rule.destinations ?? [{}], (d) => d.weight ?? 1).map(({ item, share }) => ({
    service: item.service ?? routed.service,
    version: item.version,
    share,
  }));
  let rewritten = path;
  if (rule.rewrite?.pathPrefix !== undefined)
    rewritten = replacePrefix(path, matchedPrefix(rule, entry.matchIndex), rule.rewrite.pathPrefix);
  if (rule.rewrite?.fullPath !== undefined) rewritten = rule.rewrite.fullPath;
  return { kind: 'forward', targets, path: rewritten, host: rule.rewrite?.host, ruleIndex: entry.ruleIndex };
}
