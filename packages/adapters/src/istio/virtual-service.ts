import {
  buildRouteTable,
  loadedTrafficPolicyFor,
  namespaceOf,
  type LoadedObject,
  type RouteEntry,
  type RouteMatch,
  type Service,
  type TrafficPolicy,
  type TrafficRoute,
} from '@anymesh/core';
import { managedMetadata } from '../shared/metadata.js';
import type { Manifest } from '../types.js';
import type { IstioContext } from './context.js';
import { pinDestinationPorts } from './destination-ports.js';
import { httpAction, resilienceOf, type RuleSite } from './http-action.js';
import { istioMatchBlocks, type IstioMatchBlock } from './http-match.js';
import { hostOf, NETWORKING_V1 } from './names.js';
import { istioRedirect, istioRewrite, needsSegmentSplit } from './path-actions.js';

type HttpRoute = Record<string, unknown> & { match?: Record<string, unknown>[] };

/** Header keys Istio ignores in `headers` (it reads them as pseudo-headers): a condition on them would silently vanish. */
const IGNORED_HEADER_KEYS = new Set(['uri', 'scheme', 'method', 'authority']);

function hasIgnoredHeader(ctx: IstioContext, match: RouteMatch, site: RuleSite): boolean {
  const ignored = Object.entries(match.headers ?? {}).filter(([h]) => IGNORED_HEADER_KEYS.has(h.toLowerCase()));
  for (const [name, m] of ignored) {
    const kind = 'exact' in m ? 'Exact' : 'prefix' in m ? 'Prefix' : 'regex' in m ? 'Regex' : 'present' in m ? 'Present' : 'Absent';
    ctx.gaps.unsupported(
      site.loaded,
      [...site.path, 'headers', name],
      `route.header${kind}`,
      `Istio ignores a header named "${name}" in a match (it means the pseudo-header); this match is left out rather than widened`,
    );
  }
  return ignored.length > 0;
}

function isUnconditional(blk: IstioMatchBlock): boolean {
  return Object.values(blk.block).every((v) => v === undefined);
}

/**
 * `http[]` entries for a route: the neutral route table (already in precedence order) walked in
 * order, because Istio uses the first matching entry. Adjacent blocks of the same rule with the same
 * path action share an entry; anything else gets its own, so the order is exactly the neutral one.
 */
function entriesOf(ctx: IstioContext, table: readonly RouteEntry[], site: Omit<RuleSite, 'path'>): { http: HttpRoute[]; closed: boolean } {
  const http: HttpRoute[] = [];
  let last: { ruleIndex: number; pathKey: string } | undefined;
  for (const entry of table) {
    const rule = entry.rule;
    const match = entry.matchIndex === -1 ? undefined : rule.matches?.[entry.matchIndex];
    if (match && hasIgnoredHeader(ctx, match, { ...site, path: ['spec', 'rules', entry.ruleIndex, 'matches', entry.matchIndex] })) continue;
    for (const blk of istioMatchBlocks(match, needsSegmentSplit(rule))) {
      const paths = { rewrite: istioRewrite(rule, blk), redirect: istioRedirect(rule, blk) };
      const pathKey = JSON.stringify(paths);
      const previous = http.at(-1);
      if (previous && last?.ruleIndex === entry.ruleIndex && last.pathKey === pathKey && !isUnconditional(blk)) {
        previous.match?.push(blk.block);
      } else {
        const rulePath = ['spec', 'rules', entry.ruleIndex];
        const action = httpAction(ctx, rule, { ...site, path: rulePath });
        const name = rule.name ?? `rule-${entry.ruleIndex}`;
        http.push({ name, match: isUnconditional(blk) ? undefined : [blk.block], ...paths, ...action });
      }
      last = { ruleIndex: entry.ruleIndex, pathKey };
      // An entry without conditions matches everything: Istio would never reach what follows.
      if (isUnconditional(blk)) return { http, closed: true };
    }
  }
  return { http, closed: false };
}

/** ONE VirtualService per service host: several for one host merge in an undefined order in Istio. */
export function virtualService(
  ctx: IstioContext,
  service: LoadedObject<Service>,
  route: LoadedObject<TrafficRoute> | undefined,
  policy: LoadedObject<TrafficPolicy> | undefined,
): Manifest {
  const namespace = namespaceOf(service.object);
  const name = service.object.metadata.name;
  const site = { loaded: route ?? service, namespace, service: name, policy };
  const { http, closed } = route ? entriesOf(ctx, buildRouteTable(route.object), site) : { http: [], closed: false };
  if (!closed) {
    // Requests no rule matches go to the service, all versions, under the service-wide timeout/retries.
    http.push({
      name: 'default',
      route: [{ destination: { host: hostOf(namespace, name) } }],
      ...resilienceOf(ctx, undefined, { ...site, path: [] }),
    });
  }
  const sources = [service.object, ...(route ? [route.object] : []), ...(policy ? [policy.object] : [])];
  return {
    apiVersion: NETWORKING_V1,
    kind: 'VirtualService',
    metadata: managedMetadata(name, namespace, sources),
    spec: { hosts: [hostOf(namespace, name)], http: pinDestinationPorts(ctx, namespace, service.object, http) },
  };
}

export function serviceWidePolicy(ctx: IstioContext, service: Service): LoadedObject<TrafficPolicy> | undefined {
  return loadedTrafficPolicyFor(ctx.set, namespaceOf(service), service.metadata.name);
}
