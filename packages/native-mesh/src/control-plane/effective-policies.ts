import { namespaceOf, routeForTraffic, type PolicyObject, type Rollout, type TrafficPlan, type TrafficRoute } from '@anymesh/core';
import type { AcceptedPolicies } from './policy-store.js';

/** A rollout's traffic plan, as the rollout controller last put it in force. */
export interface RolloutTraffic {
  readonly rollout: Rollout;
  readonly traffic: TrafficPlan;
}

/**
 * What sidecars are served: the authored policies with the route of each rollout's service replaced
 * by the route its traffic plan puts in force (core's `routeForTraffic`, made when the service has
 * none). Recomputed against every newly applied set, so an edited route keeps the rollout's split.
 * A plan that cannot be expressed against the set (e.g. the service was removed) leaves the
 * authored route: the controller is told when it applies the plan (`rolloutRoute`).
 */
export function effectivePolicies(accepted: AcceptedPolicies, overlay: ReadonlyMap<string, RolloutTraffic>): readonly PolicyObject[] {
  if (overlay.size === 0) return accepted.policies;
  const routes = new Map<string, TrafficRoute>();
  for (const { rollout, traffic } of overlay.values()) {
    try {
      routes.set(`${namespaceOf(rollout)}/${rollout.spec.service}`, rolloutRoute(accepted, rollout, traffic));
    } catch {
      // Reported when applied; serve the authored route rather than nothing.
    }
  }
  const placed = new Set<string>();
  const policies: PolicyObject[] = [];
  for (const policy of accepted.policies) {
    const key = policy.kind === 'TrafficRoute' ? `${namespaceOf(policy)}/${policy.spec.service}` : undefined;
    const route = key === undefined ? undefined : routes.get(key);
    if (key === undefined || route === undefined) policies.push(policy);
    else if (!placed.has(key)) {
      policies.push(route);
      placed.add(key);
    }
  }
  for (const [key, route] of routes) if (!placed.has(key)) policies.push(route);
  return policies;
}

/** The route a plan puts in force; throws when the plan cannot be expressed against the set. */
export function rolloutRoute(accepted: AcceptedPolicies, rollout: Rollout, traffic: TrafficPlan): TrafficRoute {
  return routeForTraffic(accepted.set, rollout, traffic);
}
