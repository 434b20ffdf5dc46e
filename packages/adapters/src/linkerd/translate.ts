import { loadedRouteFor, namespaceOf, sortDiagnostics, type PolicySet } from '@anymesh/core';
import { sortManifests } from '../shared/order.js';
import type { TranslateOptions, Translation } from '../types.js';
import { translateAccess } from './access/translate-access.js';
import { newContext } from './context.js';
import { reportMesh, reportRollouts } from './mesh.js';
import { claimRouteNames, outboundRoutes } from './outbound-routes.js';
import { reportTrafficPolicy } from './traffic-policy.js';
import { emitVersionServices } from './version-services.js';

/**
 * The neutral model as Linkerd configuration: GAMMA HTTPRoutes (parentRef: Service) for routing,
 * timeouts and retries; per-version Services for splits; Servers, AuthorizationPolicies,
 * authentications and inbound routes for access. Pure and deterministic.
 */
export function translateLinkerd(set: PolicySet, options: TranslateOptions = {}): Translation {
  const ctx = newContext(set, options.strict ?? false);
  reportMesh(ctx);
  const routed = [...set.services.values()].map((service) => {
    const svc = service.object;
    return { service, route: loadedRouteFor(set, namespaceOf(svc), svc.metadata.name) };
  });
  // Every service's own route name first, so a derived name (`cart` chunk 1) never takes another's (`cart-1`).
  for (const { service, route } of routed) claimRouteNames(ctx, service.object, route);
  for (const { service, route } of routed) outboundRoutes(ctx, service, route);
  for (const policy of set.trafficPolicies) reportTrafficPolicy(ctx, policy);
  emitVersionServices(ctx);
  translateAccess(ctx);
  reportRollouts(ctx);
  return {
    manifests: sortManifests(ctx.manifests),
    diagnostics: sortDiagnostics([...ctx.refusals.diagnostics, ...ctx.gaps.diagnostics]),
  };
}
