import { namespaceOf, type LoadedObject, type TrafficPolicy } from '@anymesh/core';
import type { Manifest } from '../types.js';
import { consulManifest, loadedServices, protocolOf, serviceWidePolicy, type ConsulContext } from './context.js';
import type { ServiceDefaultsSpec, UpstreamOverrideSpec } from './consul-types.js';
import { upstreamOverride, withNamespace } from './upstream-limits.js';

interface Protection {
  readonly policy: LoadedObject<TrafficPolicy>;
  readonly namespace: string;
  readonly override: UpstreamOverrideSpec;
}

/**
 * One ServiceDefaults per service: its protocol, and the limits and passive health checks of
 * every protected destination. Consul keeps those in the CALLER's entry
 * (`upstreamConfig.overrides[name=<destination>]`), so each destination's protection is fanned out
 * to every service of the policy set: callers cannot be known from access rules (default allow,
 * wildcard sources) and `upstreamConfig.defaults` would also limit the caller's other upstreams.
 * Callers outside the policy set are not limited, and the diagnostic says so.
 */
export function serviceDefaults(ctx: ConsulContext): Manifest[] {
  const services = loadedServices(ctx);
  const protections: Protection[] = services.flatMap((s) => {
    const policy = serviceWidePolicy(ctx, s.object);
    const override = policy ? upstreamOverride(ctx, policy) : undefined;
    return policy && override ? [{ policy, namespace: namespaceOf(s.object), override }] : [];
  });
  const callers = services.map((s) => s.object.metadata.name).join(', ');
  for (const p of protections) {
    const field = p.policy.object.spec.circuitBreaker ? 'circuitBreaker' : 'outlierDetection';
    ctx.gaps.assumption(
      p.policy,
      ['spec', field],
      field,
      `every caller of ${p.override.name} is a service of this policy set (${callers}): Consul applies limits and passive health checks in each caller's ServiceDefaults.upstreamConfig.overrides`,
    );
  }
  return services.map((s) => {
    const ns = namespaceOf(s.object);
    const spec: ServiceDefaultsSpec = { protocol: protocolOf(s.object) };
    const overrides = protections.map((p) => withNamespace(p.override, p.namespace, ns));
    if (overrides.length > 0) spec.upstreamConfig = { overrides };
    return consulManifest('ServiceDefaults', s.object.metadata.name, ns, [s.object, ...protections.map((p) => p.policy.object)], spec);
  });
}
