import {
  buildRouteTable,
  namespaceOf,
  normalizePrefix,
  trafficPolicyFor,
  type LoadedObject,
  type Retry,
  type RouteEntry,
  type Service,
  type TrafficPolicy,
  type TrafficRoute,
} from '@anymesh/core';
import { managedMetadata } from '../shared/metadata.js';
import { OBJECT_NAME_MAX } from '../shared/names.js';
import type { LinkerdContext } from './context.js';
import { gatewayMatch, type GatewayMatch } from './http-match.js';
import { reportRuleGaps, ruleAction } from './http-rule.js';
import { compileLinkerdMatch } from './linkerd-match.js';
import { GATEWAY_V1, NAME_SPACES } from './names.js';
import { reportPrecedence, type EmittedEntry } from './precedence.js';
import { reportRetryGaps, retryAnnotations } from './retries.js';
import { reportHeaderAssumption } from './route-assumptions.js';
import { repairTies } from './tie-repair.js';

/** Gateway API allows 16 rules per HTTPRoute. */
const MAX_RULES = 16;

/** A neutral (rule, match) pair ready to emit, or the synthetic catch-all. */
interface Planned {
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly match: GatewayMatch;
  readonly retry: Retry | undefined;
  readonly entry: RouteEntry | undefined;
  /** Narrower copies of `match` that keep its Linkerd rank against later rules (tie-repair.ts). */
  readonly extra: GatewayMatch[];
}

/** The lower-cased prefix of a case-insensitive neutral prefix match (written as a regex, ranked differently). */
function ignoreCasePrefixOf(p: Planned): string | undefined {
  const path = p.entry?.matchIndex === -1 ? undefined : p.entry?.rule.matches?.[p.entry.matchIndex]?.path;
  return path && 'prefix' in path && path.ignoreCase ? normalizePrefix(path.prefix.toLowerCase()) : undefined;
}

function isUnconditional(m: GatewayMatch): boolean {
  const path = m.path === undefined || (m.path.type === 'PathPrefix' && m.path.value === '/');
  return path && !m.headers && !m.queryParams && !m.method;
}

const retryKey = (p: Planned) => JSON.stringify(retryAnnotations(p.retry));

/** The neutral table as emit-ready entries; rules Linkerd cannot write at all are reported and left out. */
function plan(
  ctx: LinkerdContext,
  route: LoadedObject<TrafficRoute> | undefined,
  policy: TrafficPolicy | undefined,
): { planned: Planned[]; repaired: ReadonlySet<string> } {
  if (!route) {
    return {
      planned: [{ ruleIndex: -1, matchIndex: -1, match: {}, retry: policy?.spec.retries, entry: undefined, extra: [] }],
      repaired: new Set(),
    };
  }
  const emittable = route.object.spec.rules.map((rule, i) => {
    if (rule.retries) reportRetryGaps(ctx, route, rule.retries, ['spec', 'rules', i, 'retries']);
    return reportRuleGaps(ctx, route, rule, ['spec', 'rules', i]);
  });
  reportHeaderAssumption(ctx, route);
  const planned: Planned[] = [];
  for (const entry of buildRouteTable(route.object)) {
    if (!emittable[entry.ruleIndex]) continue;
    const neutral = entry.matchIndex === -1 ? undefined : entry.rule.matches?.[entry.matchIndex];
    const match = gatewayMatch(ctx, route, neutral, ['spec', 'rules', entry.ruleIndex, 'matches', entry.matchIndex]);
    if (match === undefined) continue;
    planned.push({ ...entry, match, retry: entry.rule.retries ?? policy?.spec.retries, entry, extra: [] });
  }
  // GAMMA answers 404 when no rule matches; the neutral model sends such requests to the service.
  if (!planned.some((p) => isUnconditional(p.match))) {
    planned.push({ ruleIndex: -1, matchIndex: -1, match: {}, retry: policy?.spec.retries, entry: undefined, extra: [] });
  }
  const repaired = repairTies(planned.map((p) => ({ ...p, routeKey: retryKey(p), ignoreCasePrefix: ignoreCasePrefixOf(p) })));
  return { planned, repaired };
}

const routeOwner = (svc: Service) => `outbound/${namespaceOf(svc)}/${svc.metadata.name}`;

/** The name of a service's (first) outbound HTTPRoute: its TrafficRoute's name, else its own. */
export function claimRouteNames(ctx: LinkerdContext, svc: Service, route: LoadedObject<TrafficRoute> | undefined): string {
  const preferred = route?.object.metadata.name ?? svc.metadata.name;
  return ctx.names.claim(NAME_SPACES.outboundRoute, namespaceOf(svc), preferred, routeOwner(svc), OBJECT_NAME_MAX);
}

/** A derived route name (`<base>-<port>`, `<base>-<k>`), unless another service's route holds it. */
function derivedName(ctx: LinkerdContext, svc: Service, preferred: string, owner: string): string {
  return ctx.names.claim(NAME_SPACES.outboundRoute, namespaceOf(svc), preferred, `${routeOwner(svc)}/${owner}`, OBJECT_NAME_MAX);
}

/** Splits planned entries into HTTPRoutes: one per distinct retry setting (annotations are per route), at most 16 rules each. */
function groupIntoRoutes(planned: readonly Planned[], chunkName: (k: number) => string): { name: string; entries: Planned[][] }[] {
  const byRetry = new Map<string, Planned[][]>();
  for (const p of planned) {
    const key = retryKey(p);
    const rules = byRetry.get(key) ?? [];
    byRetry.set(key, rules);
    const last = rules.at(-1);
    // Adjacent matches of one rule share a Gateway rule; anything else gets its own, keeping the neutral order.
    if (last && p.ruleIndex !== -1 && last[0]!.ruleIndex === p.ruleIndex) last.push(p);
    else rules.push([p]);
  }
  const routes: { name: string; entries: Planned[][] }[] = [];
  for (const rules of byRetry.values()) {
    for (let i = 0; i < rules.length; i += MAX_RULES) {
      routes.push({ name: chunkName(routes.length), entries: rules.slice(i, i + MAX_RULES) });
    }
  }
  return routes;
}

/**
 * GAMMA HTTPRoutes (parentRef: the Service) for the calls to one service: the neutral route table,
 * already in precedence order, one Gateway rule per (rule, match) so equal Linkerd ranks resolve the
 * neutral way, plus a catch-all to the service. One set of routes per HTTP port.
 */
export function outboundRoutes(ctx: LinkerdContext, service: LoadedObject<Service>, route: LoadedObject<TrafficRoute> | undefined): void {
  const svc = service.object;
  const namespace = namespaceOf(svc);
  const policy = trafficPolicyFor(ctx.set, namespace, svc.metadata.name);
  const serviceWide = policy?.spec.target.version === undefined ? policy : undefined;
  if (!route && serviceWide?.spec.retries === undefined && serviceWide?.spec.requestTimeout === undefined) return;
  const httpPorts = svc.spec.ports.filter((p) => (p.protocol ?? 'http') !== 'tcp');
  if (httpPorts.length === 0) return;
  const { planned, repaired } = plan(ctx, route, serviceWide);
  const baseName = claimRouteNames(ctx, svc, route);
  const sources = [service.object, ...(route ? [route.object] : []), ...(serviceWide ? [serviceWide] : [])];
  httpPorts.forEach((port, portIndex) => {
    const name = httpPorts.length === 1 ? baseName : derivedName(ctx, svc, `${baseName}-${port.port}`, `${port.port}`);
    const emitted: EmittedEntry[] = [];
    const chunkName = (k: number) => (k === 0 ? name : derivedName(ctx, svc, `${name}-${k}`, `${port.port}/${k}`));
    for (const r of groupIntoRoutes(planned, chunkName)) {
      const rules = r.entries.map((group) => {
        const first = group[0]!;
        const rule = first.entry?.rule ?? {};
        for (const p of group) {
          for (const [k, m] of [p.match, ...p.extra].entries()) {
            emitted.push({
              extra: k > 0,
              ruleIndex: p.ruleIndex,
              matchIndex: p.matchIndex,
              linkerd: compileLinkerdMatch(m),
              route: r.name,
              ignoreCasePrefix: ignoreCasePrefixOf(p),
            });
          }
        }
        const matches = group.every((p) => Object.values(p.match).every((v) => v === undefined))
          ? undefined
          : group.flatMap((p) => [p.match, ...p.extra]);
        const loaded = route ?? service;
        return { matches, ...ruleAction(ctx, loaded, svc, port.port, rule, serviceWide?.spec.requestTimeout) };
      });
      ctx.manifests.push({
        apiVersion: GATEWAY_V1,
        kind: 'HTTPRoute',
        metadata: managedMetadata(r.name, namespace, sources, { annotations: retryAnnotations(r.entries[0]![0]!.retry) }),
        spec: { parentRefs: [{ group: '', kind: 'Service', name: svc.metadata.name, port: port.port }], rules },
      });
    }
    if (portIndex === 0 && route) reportPrecedence(ctx, route, emitted, repaired);
  });
}
