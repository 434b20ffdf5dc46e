import { namespaceOf, serviceKey, type LoadedObject, type Service, type ServiceKey } from '@anymesh/core';
import type { Manifest } from '../../types.js';
import type { LinkerdContext } from '../context.js';
import { authenticationFor, type AuthnRef } from './authentication.js';
import { emitAuthorization } from './authorization.js';
import { deniesEverything, denyExpressible } from './deny.js';
import { inboundRoutes } from './inbound-routes.js';
import { coversPort, enforcedRules, isRouteScoped, type PlacedRule } from './rules.js';
import { emitServer } from './servers.js';
import { reportSharedServerPorts } from './shared-pods.js';

/** Authentication objects, one per rule that some authorization uses, made on first use. */
class Authentications {
  readonly #made = new Map<string, { ref: AuthnRef; manifest: Manifest }>();
  readonly #ctx: LinkerdContext;
  constructor(ctx: LinkerdContext) {
    this.#ctx = ctx;
  }
  refFor(placed: PlacedRule): AuthnRef {
    let made = this.#made.get(placed.owner);
    if (!made) {
      made = authenticationFor(this.#ctx, placed);
      this.#made.set(placed.owner, made);
    }
    return made.ref;
  }
  get manifests(): Manifest[] {
    return [...this.#made.values()].map((m) => m.manifest);
  }
}

function authorizePort(
  ctx: LinkerdContext,
  authn: Authentications,
  server: string,
  namespace: string,
  allows: readonly PlacedRule[],
): void {
  if (!allows.some((r) => isRouteScoped(r.rule))) {
    for (const r of allows) emitAuthorization(ctx, { kind: 'Server', name: server }, namespace, r, authn.refFor(r));
    return;
  }
  for (const route of inboundRoutes(ctx, server, namespace, allows)) {
    for (const r of route.rules) emitAuthorization(ctx, { kind: 'HTTPRoute', name: route.name }, namespace, r, authn.refFor(r));
  }
}

/**
 * The neutral model decides on the normalized path (dot segments resolved, slashes merged); Linkerd's
 * proxy matches inbound routes against the path as the caller sent it.
 */
function reportRawPaths(ctx: LinkerdContext, r: PlacedRule): void {
  if (!(r.rule.to.paths ?? []).some((p) => p !== '*')) return;
  ctx.gaps.assumption(
    r.loaded,
    ['spec', 'rules', r.index, 'to', 'paths'],
    'access.methodPath',
    "callers send normalized paths: Linkerd matches the path as sent, without resolving dot segments or merging slashes, so /x/../admin/y is not /admin/y to this rule's Linkerd route",
  );
}

/** Servers, inbound routes and authorizations for one service. */
function accessForService(ctx: LinkerdContext, authn: Authentications, service: LoadedObject<Service>, mine: readonly PlacedRule[]): void {
  const svc = service.object;
  const namespace = namespaceOf(svc);
  const allows = mine.filter((r) => r.rule.action === 'allow');
  const denies = mine.filter((r) => r.rule.action === 'deny');
  for (const d of denies) {
    if (denyExpressible(ctx, d, allows)) continue;
    ctx.gaps.unsupported(
      d.loaded,
      ['spec', 'rules', d.index],
      'access.deny',
      'Linkerd authorizes with allow rules only, and this deny overlaps an allow (or the default allow) in a way narrower allows cannot say exactly; nothing is emitted for it',
    );
  }
  for (const r of mine) reportRawPaths(ctx, r);
  let servers = 0;
  for (const port of svc.spec.ports) {
    const denyAll = denies.some((d) => deniesEverything(d.rule) && coversPort(d.rule, port.port));
    if (denyAll || ctx.mesh.defaultAccess === 'deny') {
      const server = emitServer(ctx, service, port, 'deny');
      if (!denyAll)
        authorizePort(
          ctx,
          authn,
          server,
          namespace,
          allows.filter((r) => coversPort(r.rule, port.port)),
        );
    } else {
      // Explicit even when it matches Linkerd's install default: the cluster's default may differ.
      emitServer(ctx, service, port, ctx.mesh.mtlsMode === 'strict' ? 'all-authenticated' : 'all-unauthenticated');
    }
    servers++;
  }
  if (servers > 0) {
    ctx.gaps.assumption(
      service,
      ['spec', 'ports'],
      ctx.mesh.defaultAccess === 'deny' ? 'access.defaultDeny' : `mtls.${ctx.mesh.mtlsMode === 'strict' ? 'strict' : 'permissive'}`,
      'the pods listen on the service port numbers (Linkerd Servers select pod ports; the neutral model knows service ports only), and no other Server selects these pods and ports (Linkerd rejects overlapping Servers)',
    );
  }
}

/** Inbound access control: Servers per service port, AuthorizationPolicies, authentications, inbound routes. */
export function translateAccess(ctx: LinkerdContext): void {
  const rules = rulesByDestination(enforcedRules(ctx));
  const authn = new Authentications(ctx);
  reportSharedServerPorts(ctx);
  for (const service of ctx.set.services.values()) {
    const svc = service.object;
    accessForService(ctx, authn, service, rules.get(serviceKey(namespaceOf(svc), svc.metadata.name)) ?? []);
  }
  for (const m of authn.manifests) ctx.manifests.push(m);
}

/** The rules per destination service, each list in input order: grouped once, not filtered per service. */
function rulesByDestination(rules: readonly PlacedRule[]): Map<ServiceKey, PlacedRule[]> {
  const byService = new Map<ServiceKey, PlacedRule[]>();
  for (const r of rules) {
    const key = serviceKey(r.namespace, r.rule.to.service);
    const list = byService.get(key);
    if (list) list.push(r);
    else byService.set(key, [r]);
  }
  return byService;
}
