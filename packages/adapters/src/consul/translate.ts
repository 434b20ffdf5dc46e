import { loadedRouteFor, namespaceOf, sortDiagnostics, type LoadedObject, type PolicySet, type Service } from '@anymesh/core';
import { sortManifests } from '../shared/order.js';
import type { Manifest, TranslateOptions, Translation } from '../types.js';
import { createContext, isHttpProtocol, loadedServices, protocolOf, serviceWidePolicy, type ConsulContext } from './context.js';
import { serviceIntentions } from './intentions.js';
import { reportPolicyGaps } from './policy-gaps.js';
import { meshWide } from './proxy-defaults.js';
import { serviceResolver } from './resolver.js';
import { serviceRouter } from './router.js';
import { serviceDefaults } from './service-defaults.js';

function routing(ctx: ConsulContext, service: LoadedObject<Service>): Manifest[] {
  const svc = service.object;
  const route = loadedRouteFor(ctx.set, namespaceOf(svc), svc.metadata.name);
  const policy = serviceWidePolicy(ctx, svc);
  const http = isHttpProtocol(protocolOf(svc));
  if (route && !http) {
    ctx.gaps.unsupported(
      route,
      ['spec', 'rules'],
      'route.precedence',
      `service-router needs an HTTP protocol and ${svc.metadata.name} is tcp; no router is generated`,
    );
  }
  const router = http ? serviceRouter(ctx, service, route, policy) : { manifests: [], usedNoTimeout: false };
  const resolver = serviceResolver(ctx, service, policy);
  if (router.usedNoTimeout) {
    ctx.gaps.assumption(
      service,
      ['spec'],
      'timeout.request',
      'Consul 1.18 or later, which reads requestTimeout -1s as "no timeout"; Consul would otherwise impose its 15s default where the neutral model has no timeout',
    );
  }
  return [...router.manifests, ...resolver];
}

/**
 * Translates a policy set into consul.hashicorp.com/v1alpha1 config entries. Pure and
 * deterministic: the same set gives byte-identical output. Workloads are not mesh configuration,
 * and rollouts are driven by anymesh's controller, so neither produces manifests.
 */
export function translateConsul(set: PolicySet, options: TranslateOptions = {}): Translation {
  const ctx = createContext(set, options.strict ?? false);
  const manifests: Manifest[] = [...meshWide(ctx), ...serviceDefaults(ctx)];
  for (const service of loadedServices(ctx)) manifests.push(...routing(ctx, service));
  for (const policy of set.trafficPolicies) reportPolicyGaps(ctx, policy);
  manifests.push(...serviceIntentions(ctx));
  for (const rollout of set.rollouts) {
    ctx.gaps.approximated(
      rollout,
      ['spec', 'strategy'],
      'canary' in rollout.object.spec.strategy
        ? 'rollout.canary'
        : 'abTest' in rollout.object.spec.strategy
          ? 'rollout.abTest'
          : 'rollout.blueGreen',
      "not generated as config: anymesh's controller drives the rollout by rewriting the service's ServiceRouter and ServiceSplitter step by step (Consul has no rollout resource and no Flagger provider)",
    );
  }
  return { manifests: sortManifests(manifests), diagnostics: sortDiagnostics([...ctx.gaps.diagnostics]) };
}
