import { loadedTrafficPolicyFor, namespaceOf, trafficPoliciesOf, type LoadedObject, type Service, type TrafficPolicy } from '@anymesh/core';
import { managedMetadata } from '../shared/metadata.js';
import type { Manifest } from '../types.js';
import type { IstioContext } from './context.js';
import { hostOf, NETWORKING_V1 } from './names.js';
import { istioTrafficPolicy } from './traffic-policy.js';

const GROUPS = ['connectionPool', 'outlierDetection', 'loadBalancer', 'retryBudget'] as const;

/** Version-scoped retries and timeouts live on routes in Istio, before any subset is chosen. */
function reportRouteLevelFields(ctx: IstioContext, loaded: LoadedObject<TrafficPolicy>): void {
  const s = loaded.object.spec;
  if (s.retries) {
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'retries'],
      'split.versions',
      'version-scoped retries: Istio retries are per route, chosen before the subset; use a TrafficRoute rule that targets this version',
    );
  }
  if (s.requestTimeout) {
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'requestTimeout'],
      'split.versions',
      'version-scoped request timeout: Istio timeouts are per route, chosen before the subset; use a TrafficRoute rule that targets this version',
    );
  }
}

/**
 * Subset policies in Istio (a) apply only to traffic a route sends to that subset, and (b) override the
 * service-level policy per field group, inheriting the rest. The neutral version policy replaces the
 * service policy and applies to all of the version's instances: both differences are reported.
 */
function subsetPolicy(ctx: IstioContext, service: Service, version: string, top: Record<string, unknown> | undefined) {
  const loaded = loadedTrafficPolicyFor(ctx.set, namespaceOf(service), service.metadata.name, version);
  // Without a policy of its own, the lookup answers the service-wide one: the subset has none.
  if (loaded === undefined || loaded.object.spec.target.version !== version) return undefined;
  reportRouteLevelFields(ctx, loaded);
  const policy = istioTrafficPolicy(ctx, loaded, service);
  const inherited = GROUPS.filter((g) => top?.[g] !== undefined && policy?.[g] === undefined);
  ctx.gaps.approximated(
    loaded,
    ['spec', 'target', 'version'],
    'split.versions',
    `Istio applies subset "${version}"'s trafficPolicy only to requests a route sends to that subset (not to requests routed to the whole service)` +
      (inherited.length
        ? `, and the subset inherits the service-level ${inherited.join(', ')} that the neutral version policy does not set`
        : ''),
  );
  return policy;
}

export function destinationRule(
  ctx: IstioContext,
  service: LoadedObject<Service>,
  policy: LoadedObject<TrafficPolicy> | undefined,
): Manifest | undefined {
  const s = service.object;
  const versions = Object.entries(s.spec.versions ?? {});
  if (versions.length === 0 && !policy) return undefined;
  const namespace = namespaceOf(s);
  const trafficPolicy = policy ? istioTrafficPolicy(ctx, policy, s) : undefined;
  const subsets = versions.map(([name, v]) => ({ name, labels: v.labels, trafficPolicy: subsetPolicy(ctx, s, name, trafficPolicy) }));
  const versionPolicies = trafficPoliciesOf(ctx.set, namespace, s.metadata.name)
    .map((p) => p.object)
    .filter((p) => p.spec.target.version !== undefined);
  const sources = [s, ...(policy ? [policy.object] : []), ...versionPolicies];
  return {
    apiVersion: NETWORKING_V1,
    kind: 'DestinationRule',
    metadata: managedMetadata(s.metadata.name, namespace, sources),
    spec: { host: hostOf(namespace, s.metadata.name), trafficPolicy, subsets: subsets.length ? subsets : undefined },
  };
}
