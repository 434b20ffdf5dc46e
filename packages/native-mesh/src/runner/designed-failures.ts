import { namespaceOf, type PolicySet } from '@anymesh/core';

/**
 * Why some demo requests are meant to fail, from the policies themselves: TrafficRoute rules that
 * inject aborts, and Workloads that fail on purpose (`ERROR_RATE`, the demo app's knob). `up`
 * prints these next to the load's failure count so a user does not take them for a broken mesh.
 */
export function designedFailures(set: PolicySet): string[] {
  const reasons: string[] = [];
  for (const { object: route } of set.routes) {
    route.spec.rules.forEach((rule, index) => {
      const abort = rule.fault?.abort;
      if (!abort) return;
      const name = `${namespaceOf(route)}/${route.metadata.name} rule ${rule.name ?? String(index)}`;
      reasons.push(`fault rule ${name} answers ${abort.httpStatus} to ${abort.percent}% of the requests it matches`);
    });
  }
  for (const { object: workload } of set.workloads) {
    const rate = Number(workload.spec.env?.['ERROR_RATE'] ?? 0);
    if (rate > 0) reasons.push(`${workload.metadata.name} fails ${Math.round(rate * 100)}% of its requests (ERROR_RATE)`);
  }
  return reasons;
}
