import { namespaceOf, type LoadedObject, type LoadBalancer, type Service, type TrafficPolicy } from '@anymesh/core';
import type { Manifest } from '../types.js';
import { consulManifest, isHttpProtocol, protocolOf, type ConsulContext } from './context.js';
import type { HashPolicySpec, ServiceResolverSpec } from './consul-types.js';

/** The catalog filter of a version subset; consul-k8s copies `consul.hashicorp.com/service-meta-version` into Service.Meta. */
export function subsetFilter(version: string): string {
  return `Service.Meta.version == ${JSON.stringify(version)}`;
}

const LB_POLICY = {
  'round-robin': 'round_robin',
  'least-request': 'least_request',
  random: 'random',
  'consistent-hash': 'ring_hash',
} as const;

function loadBalancer(lb: LoadBalancer): ServiceResolverSpec['loadBalancer'] {
  const hash = lb.consistentHash;
  if (lb.algorithm !== 'consistent-hash' || hash === undefined) return { policy: LB_POLICY[lb.algorithm] };
  let policy: HashPolicySpec;
  if ('header' in hash) policy = { field: 'header', fieldValue: hash.header.toLowerCase() };
  else if ('cookie' in hash)
    policy = { field: 'cookie', fieldValue: hash.cookie.name, ...(hash.cookie.ttl ? { cookieConfig: { ttl: hash.cookie.ttl } } : {}) };
  else policy = { sourceIP: true };
  return { policy: LB_POLICY[lb.algorithm], hashPolicies: [policy] };
}

/**
 * The ServiceResolver of a service: one subset per version (by catalog meta), connect and request
 * timeouts, load balancing and locality failover. No `defaultSubset`: a request no rule sends to a
 * version goes to all versions, as the neutral model says. Only a positive request timeout is
 * written here: Consul refuses a negative one on a resolver ("Bad RequestTimeout, must be >= 0"),
 * so "no timeout" lives on the service's router (see router.ts).
 */
export function serviceResolver(
  ctx: ConsulContext,
  service: LoadedObject<Service>,
  policy: LoadedObject<TrafficPolicy> | undefined,
): Manifest[] {
  const svc = service.object;
  const spec: ServiceResolverSpec = {};
  const versions = Object.keys(svc.spec.versions ?? {});
  if (versions.length > 0) {
    spec.subsets = Object.fromEntries(versions.map((v) => [v, { filter: subsetFilter(v), onlyPassing: true }]));
    ctx.gaps.assumption(
      service,
      ['spec', 'versions'],
      'split.versions',
      `pods of each version carry the annotation consul.hashicorp.com/service-meta-version: <version> (${versions.join(', ')}); Consul subsets filter on catalog meta, not pod labels`,
    );
  }
  const p = policy?.object.spec;
  if (p?.connectTimeout) spec.connectTimeout = p.connectTimeout;
  const http = isHttpProtocol(protocolOf(svc));
  if (http && p?.requestTimeout) spec.requestTimeout = p.requestTimeout;
  if (p?.loadBalancer) spec.loadBalancer = loadBalancer(p.loadBalancer);
  if (p?.loadBalancer?.consistentHash && !http) {
    ctx.gaps.unsupported(
      policy!,
      ['spec', 'loadBalancer', 'consistentHash'],
      'loadBalancer.consistentHash',
      'Consul applies hash policies on HTTP routes only; a tcp service gets ring_hash without a hash key',
    );
  }
  if (p?.failover) {
    if ((p.failover.mode ?? 'nearest') === 'nearest') {
      spec.prioritizeByLocality = { mode: 'failover' };
      ctx.gaps.approximated(
        policy!,
        ['spec', 'failover'],
        'failover.locality',
        "prioritizeByLocality (mode: failover) prefers the caller's region/zone from node topology labels and fails over on health checks, not on outlier ejection",
      );
    } else {
      ctx.gaps.unsupported(
        policy!,
        ['spec', 'failover', 'order'],
        'failover.locality',
        'a ServiceResolver cannot order localities within a datacenter (failover targets are services, subsets, datacenters or peers); left out',
      );
    }
  }
  if (Object.keys(spec).length === 0) return [];
  const sources = [svc, ...(policy ? [policy.object] : [])];
  return [consulManifest('ServiceResolver', svc.metadata.name, namespaceOf(svc), sources, spec)];
}
