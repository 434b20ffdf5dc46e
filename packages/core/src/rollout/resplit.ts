import type { Destination, RouteRule } from '../model/generated.js';

/** The rollout's service and versions, as a route names them. */
export interface Versions {
  readonly service: string;
  readonly from: string;
  readonly to: string;
}

/** Largest weight a destination may carry (schema maximum). */
const MAX_WEIGHT = 1_000_000;

/**
 * True for a destination inside the rollout's share: the service itself, unversioned (all versions)
 * or at `from` or `to`. Destinations of other services or other versions are outside it and kept.
 */
export function inShare(d: Destination, v: Versions): boolean {
  return (d.service === undefined || d.service === v.service) && (d.version === undefined || d.version === v.from || d.version === v.to);
}

/**
 * A rule's destinations with the rollout's share re-split: `toPercent` of it to `to`, the rest to
 * `from`, at the place of the first destination in the share; other destinations keep their
 * weights. Exact: weights are scaled by 100 and divided by their greatest common divisor. A rule
 * without destinations (the service, all versions) is all share; a redirect has none and is kept.
 */
export function resplitDestinations(rule: RouteRule, v: Versions, toPercent: number): RouteRule['destinations'] {
  if (rule.redirect) return rule.destinations;
  const authored: readonly Destination[] = rule.destinations ?? [{}];
  const share = authored.filter((d) => inShare(d, v)).reduce((sum, d) => sum + (d.weight ?? 1), 0);
  if (!authored.some((d) => inShare(d, v))) return rule.destinations;
  const out: { d: Destination; w: number }[] = [];
  let placed = false;
  for (const d of authored) {
    if (!inShare(d, v)) {
      out.push({ d, w: (d.weight ?? 1) * 100 });
    } else if (!placed) {
      placed = true;
      out.push({ d: { version: v.from }, w: share * (100 - toPercent) });
      out.push({ d: { version: v.to }, w: share * toPercent });
    }
  }
  const kept = out.filter((x) => x.w > 0);
  // All weights 0 (the authored share weighed 0 and nothing else is routed): keep the rule's meaning, nothing to split.
  if (kept.length === 0) return rule.destinations;
  const weights = reduce(kept.map((x) => x.w));
  const dests = kept.map((x, i) => withWeight(x.d, weights[i]!, kept.length));
  return dests as [Destination, ...Destination[]];
}

function withWeight(d: Destination, w: number, count: number): Destination {
  // A single destination needs no weight: it gets everything.
  if (count === 1) return stripWeight(d);
  return { ...stripWeight(d), weight: w };
}

function stripWeight(d: Destination): Destination {
  const { weight: _w, ...rest } = d;
  return rest;
}

/** Divides by the greatest common divisor; rescales (rounding, ≤ 1 ppm) only above the schema maximum. */
function reduce(ws: readonly number[]): number[] {
  const g = ws.reduce((a, b) => gcd(a, b), 0) || 1;
  const out = ws.map((w) => w / g);
  const max = Math.max(...out);
  if (max <= MAX_WEIGHT) return out;
  return out.map((w) => Math.max(w > 0 ? 1 : 0, Math.round((w * MAX_WEIGHT) / max)));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
