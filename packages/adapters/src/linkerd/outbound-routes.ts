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
import { reportPrecedence, unresolvedPairs, type EmittedEntry } from './precedence.js';
import { reportRetryGaps, retryAnnotations } from './retries.js';
import { reportHeaderAssumption } from './route-assumptions.js';
import { packRules } from './route-chunks.js';
import { mustShareRoute, repairTies, tieView, type RepairableEntry } from './tie-repair.js';

/** A neutral (rule, match) pair ready to emit, or the synthetic catch-all. */
interface Planned {
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly match: GatewayMatch;
  readonly retry: Retry | undefined;
  readonly entry: RouteEntry | undefined;
  /** Narrower copies of `match` that keep its Linkerd rank against later rules (tie-repair.ts). */
  readonly extra: GatewayMatch[];
  /** Place in the neutral table: routes hold rules out of this order, pair checks need it. */
  readonly position: number;
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
function plan(ctx: LinkerdContext, route: LoadedObject<TrafficRoute> | undefined, policy: TrafficPolicy | undefined): Planned[] {
  if (!route) return [{ ruleIndex: -1, matchIndex: -1, match: {}, retry: policy?.spec.retries, entry: undefined, extra: [], position: 0 }];
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
    planned.push({ ...entry, match, retry: entry.rule.retries ?? policy?.spec.retries, entry, extra: [], position: planned.length });
  }
  // GAMMA answers 404 when no rule matches; the neutral model sends such requests to the service.
  if (!planned.some((p) => isUnconditional(p.match))) {
    planned.push({
      ruleIndex: -1,
      matchIndex: -1,
      match: {},
      retry: policy?.spec.retries,
      entry: undefined,
      extra: [],
      position: planned.length,
    });
  }
  return planned;
}

/** A prefix redirect's matches each need a Gateway rule of their own (see RepairableEntry.alone). */
const alone = (p: Planned) => p.entry?.rule.redirect?.pathPrefix !== undefined;

const repairable = (p: Planned, routeKey: string): RepairableEntry => ({
  ...p,
  routeKey,
  ignoreCasePrefix: ignoreCasePrefixOf(p),
  alone: alone(p),
});

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

/**
 * Gateway rules per distinct retry setting (annotations are per route): adjacent matches of one rule
 * share one, except a prefix redirect's. Splitting keeps the meaning: Gateway API ranks matches, not
 * rules, and equal ranks go by rule order, which stays the neutral order.
 */
function gatewayRules(planned: readonly Planned[]): Planned[][][] {
  const byRetry = new Map<string, Planned[][]>();
  for (const p of planned) {
    const key = retryKey(p);
    const rules = byRetry.get(key) ?? [];
    byRetry.set(key, rules);
    const last = rules.at(-1);
    if (last && p.ruleIndex !== -1 && last[0]!.ruleIndex === p.ruleIndex && !alone(p)) last.push(p);
    else rules.push([p]);
  }
  return [...byRetry.values()];
}

/** Every emitted match of the routes, the planned ones and their narrower copies, in neutral order. */
function emittedOf(routes: readonly Planned[][][], routeName: (k: number) => string): (EmittedEntry & { position: number })[] {
  const out = routes.flatMap((rules, k) =>
    rules.flat().flatMap((p) =>
      [p.match, ...p.extra].map((m, n) => ({
        extra: n > 0,
        ruleIndex: p.ruleIndex,
        matchIndex: p.matchIndex,
        linkerd: compileLinkerdMatch(m),
        route: routeName(k),
        ignoreCasePrefix: ignoreCasePrefixOf(p),
        position: p.position,
      })),
    ),
  );
  // Stable: a planned match stays before its narrower copies.
  return out.sort((a, b) => a.position - b.position);
}

/** Rounds of packing: each binds the rules of pairs a round left unresolved across routes. */
const PACKING_ROUNDS = 4;

/**
 * Splits planned entries into HTTPRoutes of at most 16 rules, one set per retry setting, keeping the
 * rules that must stay ordered in one route (route-chunks.ts), then repairs ties knowing each entry's
 * route. A repair can create a new tie (a narrower copy ranks like another rule's copy), so pairs
 * still unresolved across routes are bound too and the rules packed again, for a few rounds.
 */
function groupIntoRoutes(planned: readonly Planned[]): { routes: Planned[][][]; repaired: ReadonlySet<string> } {
  const groups = gatewayRules(planned);
  const views = new Map(planned.map((p) => [p, tieView(repairable(p, ''), '')]));
  const forced = new Set<string>();
  const bound = (a: Planned, b: Planned) => forced.has(`${a.position}/${b.position}`) || mustShareRoute(views.get(a)!, views.get(b)!);
  for (let round = 0; ; round++) {
    const routes = groups.flatMap((rules) => packRules(rules, bound));
    for (const p of planned) p.extra.length = 0;
    const inOrder = routes.flatMap((rules, k) => rules.flat().map((p) => ({ p, k }))).sort((x, y) => x.p.position - y.p.position);
    const repaired = repairTies(inOrder.map(({ p, k }) => repairable(p, String(k))));
    const apart = unresolvedPairs(emittedOf(routes, String), repaired).filter(([a, b]) => a.route !== b.route);
    const before = forced.size;
    for (const [a, b] of apart) forced.add(`${a.position}/${b.position}`);
    if (forced.size === before || round + 1 === PACKING_ROUNDS) return { routes, repaired };
  }
}

/** `<base>`, `<base>-1`, …, zero-padded (`-01`…`-12`) so that name order is route order. */
function chunkSuffix(k: number, count: number): string {
  return String(k).padStart(String(count - 1).length, '0');
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
  const { routes, repaired } = groupIntoRoutes(plan(ctx, route, serviceWide));
  const baseName = claimRouteNames(ctx, svc, route);
  const sources = [service.object, ...(route ? [route.object] : []), ...(serviceWide ? [serviceWide] : [])];
  httpPorts.forEach((port, portIndex) => {
    const name = httpPorts.length === 1 ? baseName : derivedName(ctx, svc, `${baseName}-${port.port}`, `${port.port}`);
    const chunkName = (k: number) =>
      k === 0 ? name : derivedName(ctx, svc, `${name}-${chunkSuffix(k, routes.length)}`, `${port.port}/${k}`);
    const names = routes.map((_, k) => chunkName(k));
    routes.forEach((entries, k) => {
      const r = { name: names[k]!, entries };
      const rules = r.entries.map((group) => {
        const rule = group[0]!.entry?.rule ?? {};
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
    });
    if (portIndex === 0 && route)
      reportPrecedence(
        ctx,
        route,
        emittedOf(routes, (k) => names[k]!),
        repaired,
      );
  });
}
