import { loadedRouteFor, namespaceOf, sortDiagnostics, type PolicySet } from '@anymesh/core';
import { sortManifests } from '../shared/order.js';
import type { TranslateOptions, Translation } from '../types.js';
import { translateAccess } from './access/translate-access.js';
import { newContext } from './context.js';
import { reportMesh, reportRollouts } from './mesh.js';
import { outboundRoutes } from './outbound-routes.js';
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
  for (const service of set.services.values()) {
    const svc = service.object;
    const route = loadedRouteFor(set, namespaceOf(svc), svc.metadata.name);
    outboundRoutes(ctx, service, route);
  }
  for (const policy of set.trafficPolicies) reportTrafficPolicy(ctx, policy);
  emitVersionServices(ctx);
  translateAccess(ctx);
  reportRollouts(ctx);
  return {
    manifests: sortManifests(ctx.manifests),
    diagnostics: sortDiagnostics([...ctx.refusals.diagnostics, ...ctx.gaps.diagnostics]),
  };
}
