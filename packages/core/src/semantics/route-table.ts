import type { RouteRule, TrafficRoute } from '../model/generated.js';
import { compareSpecificity, compileRouteMatch, type CompiledMatch } from './route-match.js';
import type { RequestView } from './request.js';

/** One (rule, match) pair of a route in precedence order. */
export interface RouteEntry {
  readonly ruleIndex: number;
  /** Index in the rule's `matches`, or -1 for a rule without matches (matches everything). */
  readonly matchIndex: number;
  readonly rule: RouteRule;
  readonly match: CompiledMatch;
}

/**
 * The neutral precedence, made static: every (rule, match) pair sorted by Gateway API specificity
 * (exact path > regex path > longer path prefix > method > more headers > more query params), ties
 * by rule order then match order. Evaluating a request is then "first entry that matches". Adapters
 * for first-match meshes (Istio, Consul) emit entries in this order; the native proxy walks it.
 */
export function buildRouteTable(route: TrafficRoute): RouteEntry[] {
  const entries: RouteEntry[] = [];
  route.spec.rules.forEach((rule, ruleIndex) => {
    const matches = rule.matches ?? [];
    if (matches.length === 0) entries.push({ ruleIndex, matchIndex: -1, rule, match: compileRouteMatch(undefined) });
    matches.forEach((m, matchIndex) => entries.push({ ruleIndex, matchIndex, rule, match: compileRouteMatch(m) }));
  });
  return entries.sort(
    (a, b) => compareSpecificity(a.match.specificity, b.match.specificity) || a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex,
  );
}

/** The winning entry for a request, or undefined: then the request goes to the service, all versions. */
export function selectRoute(table: readonly RouteEntry[], req: RequestView): RouteEntry | undefined {
  for (const entry of table) if (entry.match.test(req)) return entry;
  return undefined;
}
