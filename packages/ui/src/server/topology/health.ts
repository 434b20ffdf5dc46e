import type { EdgeStats, Health } from '../api-types.js';

/** Below these success rates an edge or service is coloured failing or degraded. */
export const FAILING_BELOW_PERCENT = 95;
export const DEGRADED_BELOW_PERCENT = 99;

export function edgeHealth(stats: EdgeStats | undefined): Health {
  if (!stats || stats.successPercent === undefined) return 'unknown';
  if (stats.successPercent < FAILING_BELOW_PERCENT) return 'failing';
  if (stats.successPercent < DEGRADED_BELOW_PERCENT) return 'degraded';
  return 'healthy';
}

const RANK: Record<Health, number> = { unknown: 0, healthy: 1, degraded: 2, failing: 3 };

export function worst(healths: readonly Health[]): Health {
  return healths.reduce<Health>((w, h) => (RANK[h] > RANK[w] ? h : w), 'unknown');
}

/** A service's health: its instances' reachability, then the success of the calls into it. */
export function serviceHealth(instancesUp: number, instancesTotal: number, inbound: readonly Health[]): Health {
  const calls = worst(inbound);
  if (instancesTotal === 0) return calls;
  if (instancesUp === 0) return 'failing';
  const instances: Health = instancesUp < instancesTotal ? 'degraded' : 'healthy';
  return worst([instances, calls]);
}
