import type { RouteMatch, TrafficRoute } from '@anymesh/core';
import type { SplitView } from '../api-types.js';

function describeMatch(m: RouteMatch): string {
  const parts: string[] = [];
  if (m.method) parts.push(m.method);
  if (m.path)
    parts.push(
      Object.entries(m.path)
        .map(([k, v]) => `path ${k} ${String(v)}`)
        .join(' '),
    );
  for (const name of Object.keys(m.headers ?? {})) parts.push(`header ${name}`);
  for (const name of Object.keys(m.queryParams ?? {})) parts.push(`query ${name}`);
  return parts.join(', ') || 'all requests';
}

/** The configured split of each rule with destinations, weights normalised to percent. */
export function splitsOf(route: TrafficRoute | undefined): SplitView[] {
  if (!route) return [];
  return route.spec.rules.flatMap((rule, index) => {
    const destinations = rule.destinations ?? [];
    if (destinations.length === 0) return [];
    const total = destinations.reduce((sum, d) => sum + (d.weight ?? 1), 0);
    return [
      {
        rule: rule.name ?? `rule ${index + 1}`,
        when: rule.matches?.length ? rule.matches.map(describeMatch).join(' or ') : 'all requests',
        weights: destinations.map((d) => ({
          version: d.version ?? d.service ?? 'all versions',
          percent: total > 0 ? (100 * (d.weight ?? 1)) / total : 0,
        })),
      },
    ];
  });
}
