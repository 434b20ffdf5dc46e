import {
  buildRouteTable,
  selectRoute,
  type AbMatch,
  type Destination,
  type HeaderMatch,
  type RequestView,
  type RouteRule,
  type TrafficPlan,
  type TrafficRoute,
} from '../../src/index.js';
import { compileHeaderMatch } from '../../src/semantics/route-match.js';

/**
 * An independent statement of what routeForTraffic must do, built only on the core's route
 * semantics (buildRouteTable/selectRoute) and a plain reading of the plan: where the authored
 * route sends a request, with the from/to/unversioned share re-split for that request.
 */
export const V = { service: 'reviews', from: 'v1', to: 'v3' } as const;

/** Fractions of a request's traffic per `service/version` (`reviews/*` = all versions). */
export type Dist = Record<string, number>;

export type Where =
  | { redirect: unknown; rule: Omit<RouteRule, 'name' | 'matches' | 'destinations' | 'mirror'> }
  | { dist: Dist; rule: Omit<RouteRule, 'name' | 'matches' | 'destinations' | 'mirror'>; mirror?: unknown };

/** True when the request is in the cohort: any block whose headers all hold and whose cookie is in the `cookie` header. */
export function inCohort(plan: TrafficPlan, req: RequestView): boolean {
  if (plan.kind === 'weights') return false;
  if (plan.kind === 'preview') return req.headers[plan.header.toLowerCase()] === 'true';
  return plan.matches.some((m) => blockHolds(m, req));
}

function blockHolds(m: AbMatch, req: RequestView): boolean {
  const headersHold = Object.entries(m.headers ?? {}).every(([name, cond]: [string, HeaderMatch]) =>
    compileHeaderMatch(cond)(req.headers[name.toLowerCase()]),
  );
  if (!headersHold) return false;
  if (!m.cookie) return true;
  const pairs = (req.headers.cookie ?? '').split(/[;,]/).map((p) => p.trim());
  return pairs.includes(`${m.cookie.name}=${m.cookie.value}`);
}

/** The new version's fraction of the rollout's share for this request. */
export function toFraction(plan: TrafficPlan, req: RequestView): number {
  if (plan.kind === 'weights') return plan.to / 100;
  return inCohort(plan, req) ? 1 : 0;
}

const inShare = (d: Destination) =>
  (d.service === undefined || d.service === V.service) && (d.version === undefined || d.version === V.from || d.version === V.to);
const keyOf = (d: Destination) => `${d.service ?? V.service}/${d.version ?? '*'}`;

function filtersOf(rule: RouteRule | undefined): Omit<RouteRule, 'name' | 'matches' | 'destinations' | 'mirror'> {
  const { name: _n, matches: _m, destinations: _d, mirror: _mi, ...rest } = rule ?? {};
  return rest;
}

function normalise(dests: readonly Destination[]): Dist {
  const total = dests.reduce((s, d) => s + (d.weight ?? 1), 0);
  const out: Dist = {};
  for (const d of dests) if ((d.weight ?? 1) > 0) out[keyOf(d)] = (out[keyOf(d)] ?? 0) + (d.weight ?? 1) / total;
  return out;
}

/** Where the authored route (or none) must send `req` under `plan`. */
export function expected(authored: TrafficRoute | undefined, plan: TrafficPlan, req: RequestView): Where {
  const rule = authored ? selectRoute(buildRouteTable(authored), req)?.rule : undefined;
  if (rule?.redirect) return { redirect: rule.redirect, rule: filtersOf(rule) };
  const dests = rule?.destinations ?? [{}];
  const t = toFraction(plan, req);
  const total = dests.reduce((s, d) => s + (d.weight ?? 1), 0);
  const dist: Dist = {};
  const add = (k: string, f: number) => {
    if (f > 0) dist[k] = (dist[k] ?? 0) + f;
  };
  for (const d of dests) {
    const f = (d.weight ?? 1) / total;
    if (inShare(d)) {
      add(`${V.service}/${V.from}`, f * (1 - t));
      add(`${V.service}/${V.to}`, f * t);
    } else add(keyOf(d), f);
  }
  const authoredMirror = rule?.mirror;
  const toMirror = authoredMirror && (authoredMirror.service ?? V.service) === V.service && authoredMirror.version === V.to;
  let mirror: unknown = toMirror ? undefined : authoredMirror;
  const shares = dests.some((d) => inShare(d) && (d.weight ?? 1) > 0);
  if (plan.kind === 'preview' && plan.mirror && !inCohort(plan, req) && mirror === undefined && shares) {
    mirror = { version: V.to, percent: 100 };
  }
  return { dist, rule: filtersOf(rule), ...(mirror ? { mirror } : {}) };
}

/** Where the rewritten route actually sends `req`. */
export function actual(rewritten: TrafficRoute, req: RequestView): Where {
  const rule = selectRoute(buildRouteTable(rewritten), req)?.rule;
  if (rule?.redirect) return { redirect: rule.redirect, rule: filtersOf(rule) };
  return { dist: normalise(rule?.destinations ?? [{}]), rule: filtersOf(rule), ...(rule?.mirror ? { mirror: rule.mirror } : {}) };
}

/** Distributions equal up to floating-point noise. */
export function sameDist(a: Dist, b: Dist): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => Math.abs((a[k] ?? 0) - (b[k] ?? 0)) < 1e-9);
}
