import {
  buildRouteTable,
  namespaceOf,
  type LoadedObject,
  type RouteRule,
  type Service,
  type TrafficPolicy,
  type TrafficRoute,
} from '@anymesh/core';
import type { Manifest } from '../types.js';
import { consulManifest, type ConsulContext } from './context.js';
import type { RouteDestinationSpec, RouterRouteSpec } from './consul-types.js';
import { headerModifier, NO_TIMEOUT, retryFields } from './route-destination.js';
import { consulMatches, type MatchVariant } from './route-match.js';
import { reportRuleGaps } from './rule-gaps.js';
import { ruleTarget, type RuleTarget } from './splitter.js';

export interface RouterOutput {
  readonly manifests: readonly Manifest[];
  /** True when some route carries the "no timeout" value (an assumption about the Consul version). */
  readonly usedNoTimeout: boolean;
}

interface RuleParts {
  readonly target: RuleTarget;
  readonly destination: RouteDestinationSpec;
  readonly skip: boolean;
}

interface PolicyDefaults {
  readonly requestTimeout: string;
  readonly retries: RouteDestinationSpec;
}

function ruleParts(
  ctx: ConsulContext,
  route: LoadedObject<TrafficRoute>,
  service: Service,
  defaults: PolicyDefaults,
  i: number,
): RuleParts {
  const rule = route.object.spec.rules[i]!;
  if (reportRuleGaps(ctx, route, rule, i)) return { target: { destination: {}, manifests: [] }, destination: {}, skip: true };
  const target = ruleTarget(ctx, route, service, i);
  const retries = rule.retries !== undefined ? retryFields(ctx, route, ['spec', 'rules', i, 'retries'], rule.retries) : defaults.retries;
  const destination: RouteDestinationSpec = {
    ...target.destination,
    requestTimeout: rule.timeout ?? defaults.requestTimeout,
    ...retries,
    requestHeaders: headerModifier(rule.requestHeaders),
    responseHeaders: headerModifier(rule.responseHeaders),
  };
  return { target, destination, skip: false };
}

/** The prefixRewrite of one Consul match for a rule's rewrite, or undefined when there is none. */
function prefixRewrite(rule: RouteRule, variant: MatchVariant): string | undefined {
  if (rule.rewrite?.pathPrefix !== undefined) return variant.rewritePrefix(rule.rewrite.pathPrefix);
  // On an exact path match, replacing the "prefix" replaces the whole path.
  if (rule.rewrite?.fullPath !== undefined && variant.kind === 'exact') return rule.rewrite.fullPath;
  return undefined;
}

function isUnconditional(variant: MatchVariant): boolean {
  const h = variant.http;
  return h.pathPrefix === '/' && !h.caseInsensitive && !h.header && !h.queryParam && !h.methods;
}

/**
 * The ServiceRouter of a service: every (rule, match) pair in neutral precedence order, which is
 * first-match order (core's route table), then an explicit catch-all. The catch-all is needed even
 * though Consul has an implicit one: a resolver's requestTimeout does not apply once a router is the
 * start of the discovery chain, so the unmatched requests' timeout and retries must be on a route.
 * An HTTP service without a route still gets a router when it has no timeout: the catch-all's
 * `-1s` is the only way to say "no timeout" in Consul.
 */
export function serviceRouter(
  ctx: ConsulContext,
  service: LoadedObject<Service>,
  route: LoadedObject<TrafficRoute> | undefined,
  policy: LoadedObject<TrafficPolicy> | undefined,
): RouterOutput {
  const hasPolicyRetries = (policy?.object.spec.retries?.attempts ?? 0) > 0;
  // Without a route, retries or a timeout of its own, the resolver says it all; but "no timeout" can
  // only be said on a route (Consul's default is 15s and a resolver refuses a negative timeout).
  const resolverSuffices = policy?.object.spec.requestTimeout !== undefined;
  if (route === undefined && !hasPolicyRetries && resolverSuffices) return { manifests: [], usedNoTimeout: false };
  const self = service.object.metadata.name;
  const defaults: PolicyDefaults = {
    requestTimeout: policy?.object.spec.requestTimeout ?? NO_TIMEOUT,
    retries: retryFields(ctx, policy ?? service, ['spec', 'retries'], policy?.object.spec.retries),
  };
  const parts = new Map<number, RuleParts>();
  const routes: RouterRouteSpec[] = [];
  let unconditional = false;
  for (const entry of route ? buildRouteTable(route.object) : []) {
    const part = parts.get(entry.ruleIndex) ?? ruleParts(ctx, route!, service.object, defaults, entry.ruleIndex);
    parts.set(entry.ruleIndex, part);
    if (part.skip) continue;
    const match = entry.matchIndex === -1 ? undefined : entry.rule.matches?.[entry.matchIndex];
    for (const variant of consulMatches(match, entry.rule.rewrite?.pathPrefix !== undefined)) {
      unconditional ||= isUnconditional(variant);
      routes.push({
        match: { http: variant.http },
        destination: { ...part.destination, prefixRewrite: prefixRewrite(entry.rule, variant) },
      });
    }
  }
  if (!unconditional) {
    routes.push({
      match: { http: { pathPrefix: '/' } },
      destination: { service: self, requestTimeout: defaults.requestTimeout, ...defaults.retries },
    });
  }
  const sources = [service.object, ...(route ? [route.object] : []), ...(policy ? [policy.object] : [])];
  const router = consulManifest('ServiceRouter', self, namespaceOf(service.object), sources, { routes });
  return {
    manifests: [router, ...[...parts.values()].flatMap((p) => (p.skip ? [] : p.target.manifests))],
    usedNoTimeout: routes.some((r) => r.destination?.requestTimeout === NO_TIMEOUT),
  };
}
