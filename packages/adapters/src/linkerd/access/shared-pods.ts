import { namespaceOf, selectorOf, type LoadedObject, type Service } from '@anymesh/core';
import type { LinkerdContext } from '../context.js';

/** Whether two selectors can pick one pod: no label is required with two different values. */
function mayShare(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v);
}

/**
 * Servers select pods and a port. Two Services that may select the same pods (one Deployment behind
 * a public and an admin Service) and share a port number get two Servers for one pod port: Linkerd's
 * admission rejects an identical second spec, and of overlapping Servers the policy controller uses
 * one (the oldest), ignoring the other with its authorizations. Reported on the later service.
 */
export function reportSharedServerPorts(ctx: LinkerdContext): void {
  // Without access rules on either service, both Servers say the same (the default posture).
  const ruled = new Set(ctx.set.accessPolicies.flatMap((p) => p.object.spec.rules.map((r) => `${namespaceOf(p.object)}/${r.to.service}`)));
  const hasRules = (s: Service) => ruled.has(`${namespaceOf(s)}/${s.metadata.name}`);
  const services = [...ctx.set.services.values()];
  services.forEach((later: LoadedObject<Service>, i) => {
    for (const earlier of services.slice(0, i)) {
      const [a, b] = [earlier.object, later.object];
      if (namespaceOf(a) !== namespaceOf(b) || !mayShare(selectorOf(a), selectorOf(b)) || !(hasRules(a) || hasRules(b))) continue;
      const ports = b.spec.ports.filter((p) => a.spec.ports.some((q) => q.port === p.port)).map((p) => p.port);
      if (ports.length === 0) continue;
      ctx.gaps.approximated(
        later,
        ['spec', 'ports'],
        'access.destinationPort',
        `${a.metadata.name} may select the same pods as ${b.metadata.name} and also uses port ${ports.join(', ')}: Linkerd's admission rejects a second Server with an identical spec, and of overlapping Servers uses one per pod port (the oldest), so the access rules of one of the two services do not apply there`,
      );
    }
  });
}
