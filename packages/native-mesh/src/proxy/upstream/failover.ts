import type { Failover } from '@anymesh/core';
import type { InstanceInfo } from '../../protocol/types.js';
import type { Endpoint } from './endpoint.js';

type Locality = InstanceInfo['locality'];

/**
 * Splits endpoints into priority levels by locality. Without failover there is one level.
 * `nearest`: the caller's zone, then its region, then the rest. `ordered`: the localities of
 * `order` in turn (a locality without zone covers its whole region), then the rest. Traffic goes
 * to the first level that has a usable (present, not ejected) endpoint.
 */
export function priorityLevels(endpoints: readonly Endpoint[], failover: Failover | undefined, caller: Locality): Endpoint[][] {
  if (failover === undefined) return [endpoints.slice()];
  const rank =
    (failover.mode ?? 'nearest') === 'ordered' && failover.order ? orderedRank(failover.order) : (l: Locality) => nearestRank(caller, l);
  const levels: Endpoint[][] = [];
  for (const e of endpoints) (levels[rank(e.info.locality)] ??= []).push(e);
  return levels.filter((l) => l !== undefined && l.length > 0);
}

function nearestRank(caller: Locality, l: Locality): number {
  if (caller?.region === undefined || l?.region !== caller.region) return 2;
  return caller.zone !== undefined && l.zone === caller.zone ? 0 : 1;
}

function orderedRank(order: readonly { region: string; zone?: string }[]): (l: Locality) => number {
  return (l) => {
    const i = order.findIndex((o) => o.region === l?.region && (o.zone === undefined || o.zone === l?.zone));
    return i === -1 ? order.length : i;
  };
}
