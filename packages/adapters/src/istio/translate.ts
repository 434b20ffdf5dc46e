import { loadedRouteFor, namespaceOf, sortDiagnostics, type Diagnostic, type PolicySet } from '@anymesh/core';
import { sortManifests } from '../shared/order.js';
import type { TranslateOptions, Translation } from '../types.js';
import { authorizationPolicies } from './authorization-policy.js';
import { newContext } from './context.js';
import { destinationRule } from './destination-rule.js';
import { meshWide, reportRollouts } from './mesh-wide.js';
import { serviceWidePolicy, virtualService } from './virtual-service.js';

const HTTP_PROTOCOLS = new Set(['http', 'http2', 'grpc']);

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = [d.code, d.object, d.path, d.message].join('\u0000');
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * The neutral model → Istio. Pure and deterministic. Per service: one VirtualService (every HTTP
 * service gets one, because Istio retries by default and the neutral default is no retries) and one
 * DestinationRule; then AuthorizationPolicies, and the mesh-wide PeerAuthentication and Telemetry.
 * Workload objects are the native runner's and are ignored.
 */
export function translateIstio(set: PolicySet, options: TranslateOptions = {}): Translation {
  const ctx = newContext(set, options.strict ?? false);
  for (const service of set.services.values()) {
    const s = service.object;
    const ns = namespaceOf(s);
    const policy = serviceWidePolicy(ctx, s);
    const route = loadedRouteFor(set, ns, s.metadata.name);
    if (s.spec.ports.some((p) => HTTP_PROTOCOLS.has(p.protocol ?? 'http'))) ctx.manifests.push(virtualService(ctx, service, route, policy));
    const dr = destinationRule(ctx, service, policy);
    if (dr) ctx.manifests.push(dr);
  }
  ctx.manifests.push(...authorizationPolicies(ctx), ...meshWide(ctx));
  reportRollouts(ctx);
  return { manifests: sortManifests(ctx.manifests), diagnostics: sortDiagnostics(dedupe(ctx.gaps.diagnostics)) };
}
