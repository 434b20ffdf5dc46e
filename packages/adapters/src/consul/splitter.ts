import { namespaceOf, type LoadedObject, type Service, type TrafficRoute } from '@anymesh/core';
import type { Manifest } from '../types.js';
import { consulManifest, protocolOf, SERVICE_NAMES, type ConsulContext } from './context.js';
import type { RouteDestinationSpec, SplitSpec } from './consul-types.js';
import { percentShares } from './split-percent.js';

/** Where a rule's requests go: a service (subset) directly, or a virtual service that splits. */
export interface RuleTarget {
  readonly destination: RouteDestinationSpec;
  readonly manifests: readonly Manifest[];
}

/**
 * Consul allows one splitter per service name, and a route destination with a `serviceSubset` is
 * not split further. So each rule with a weighted split gets its own virtual service name,
 * `<service>-split-<rule>`, carrying a ServiceSplitter whose splits name the real service and subsets.
 * The real service never gets a splitter: unmatched requests must reach all versions unsplit.
 * This is the preferred name only: an explicit rule `rule-1` and the unnamed rule at index 1, or
 * service `a` rule `b-split-c` and service `a-split-b` rule `c`, want one name (virtualName).
 */
export function virtualServiceName(service: string, ruleName: string | undefined, ruleIndex: number): string {
  return `${service}-split-${ruleName ?? `rule-${ruleIndex}`}`;
}

/** The virtual name of one rule: the preferred one unless a real service or another rule holds it (then hashed). */
function virtualName(ctx: ConsulContext, route: TrafficRoute, service: string, ruleIndex: number): string {
  const ns = namespaceOf(route);
  const preferred = virtualServiceName(service, route.spec.rules[ruleIndex]?.name, ruleIndex);
  return ctx.names.claim(SERVICE_NAMES, ns, preferred, `TrafficRoute/${ns}/${route.metadata.name}/rules/${ruleIndex}`);
}

interface WeightedDestination {
  readonly d: NonNullable<TrafficRoute['spec']['rules'][number]['destinations']>[number];
  readonly index: number;
  weight: number;
}

/**
 * The rule's destinations with a positive weight, one per (service, version): Consul refuses a
 * splitter that names a destination twice ("split destination occurs more than once"), and two
 * entries for one destination are one destination with their summed weight.
 */
function mergedDestinations(destinations: readonly WeightedDestination['d'][], self: string): WeightedDestination[] {
  const byTarget = new Map<string, WeightedDestination>();
  destinations.forEach((d, index) => {
    const weight = d.weight ?? 1;
    if (weight <= 0) return;
    const key = JSON.stringify([d.service ?? self, d.version ?? null]);
    const seen = byTarget.get(key);
    if (seen) seen.weight += weight;
    else byTarget.set(key, { d, index, weight });
  });
  return [...byTarget.values()];
}

export function ruleTarget(ctx: ConsulContext, loaded: LoadedObject<TrafficRoute>, service: Service, ruleIndex: number): RuleTarget {
  const route = loaded.object;
  const rule = route.spec.rules[ruleIndex]!;
  const self = service.metadata.name;
  // Never empty: validation refuses a rule whose weights are all 0 (AM3003).
  const positive = mergedDestinations(rule.destinations ?? [{}], self);
  const only = positive.length === 1 ? positive[0]!.d : undefined;
  if (only !== undefined) return { destination: { service: only.service ?? self, serviceSubset: only.version }, manifests: [] };
  const shares = percentShares(positive.map((x) => x.weight));
  for (const i of shares.rounded) {
    const x = positive[i]!;
    const exact = (x.weight * 100) / positive.reduce((a, b) => a + b.weight, 0);
    ctx.gaps.approximated(
      loaded,
      ['spec', 'rules', ruleIndex, 'destinations', x.index, 'weight'],
      'split.weighted',
      `Consul split weights are percentages with 0.01 granularity summing to 100: share ${exact.toPrecision(8)}% becomes ${shares.percents[i]}%`,
    );
  }
  const splits: SplitSpec[] = positive.flatMap((x, i) => {
    const weight = shares.percents[i]!;
    return weight === 0 ? [] : [{ weight, service: x.d.service ?? self, serviceSubset: x.d.version }];
  });
  const ns = namespaceOf(route);
  const name = virtualName(ctx, route, self, ruleIndex);
  const sources = [route, service];
  return {
    destination: { service: name },
    manifests: [
      consulManifest('ServiceSplitter', name, ns, sources, { splits }),
      // The virtual name needs an HTTP protocol of its own for its splitter to be accepted.
      consulManifest('ServiceDefaults', name, ns, sources, { protocol: protocolOf(service) }),
      // Resolves the virtual name to the real service should anything reach it unsplit.
      consulManifest('ServiceResolver', name, ns, sources, { redirect: { service: self } }),
    ],
  };
}
