import { namespaceOf, selectorOf, type LoadedObject, type Service } from '@anymesh/core';
import type { LinkerdContext } from '../context.js';
import { selectorsMayShare } from '../../shared/pod-mates.js';

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
  const order = new Map<LoadedObject<Service>, number>();
  const byPort = new Map<string, LoadedObject<Service>[]>();
  for (const service of ctx.set.services.values()) {
    order.set(service, order.size);
    for (const port of new Set(service.object.spec.ports.map((p) => p.port))) {
      const key = `${namespaceOf(service.object)}/${port}`;
      const group = byPort.get(key);
      if (group) group.push(service);
      else byPort.set(key, [service]);
    }
  }
  const found = new Map<string, [LoadedObject<Service>, LoadedObject<Service>]>();
  for (const group of byPort.values()) {
    for (const [x, y] of pairsThatMayShare(group)) {
      const [a, b] = order.get(x)! < order.get(y)! ? [x, y] : [y, x];
      if (hasRules(a.object) || hasRules(b.object)) found.set(`${order.get(a)}/${order.get(b)}`, [a, b]);
    }
  }
  // Reported in the order services were given, later service first, then earlier: stable output.
  const sorted = [...found.values()].sort(([a1, b1], [a2, b2]) => order.get(b1)! - order.get(b2)! || order.get(a1)! - order.get(a2)!);
  for (const [a, b] of sorted) report(ctx, a.object, b);
}

function report(ctx: LinkerdContext, a: Service, later: LoadedObject<Service>): void {
  const b = later.object;
  const ports = b.spec.ports.filter((p) => a.spec.ports.some((q) => q.port === p.port)).map((p) => p.port);
  ctx.gaps.approximated(
    later,
    ['spec', 'ports'],
    'access.destinationPort',
    `${a.metadata.name} may select the same pods as ${b.metadata.name} and also uses port ${ports.join(', ')}: Linkerd's admission rejects a second Server with an identical spec, and of overlapping Servers uses one per pod port (the oldest), so the access rules of one of the two services do not apply there`,
  );
}

/**
 * The pairs of one namespace-and-port group whose selectors may pick one pod. Not every pair is
 * compared: the group is split by the value of its most common selector label (usually `app`), and a
 * pair can only share pods within one value, or when one of the two lacks the label. So the cost is
 * linear when services are told apart by a label, as they almost always are.
 */
function* pairsThatMayShare(group: readonly LoadedObject<Service>[]): Generator<[LoadedObject<Service>, LoadedObject<Service>]> {
  const key = mostCommonLabel(group);
  const lacking = group.filter((s) => key === undefined || selectorOf(s.object)[key] === undefined);
  const byValue = new Map<string, LoadedObject<Service>[]>();
  for (const s of group) {
    const value = key === undefined ? undefined : selectorOf(s.object)[key];
    if (value === undefined) continue;
    const bucket = byValue.get(value);
    if (bucket) bucket.push(s);
    else byValue.set(value, [s]);
  }
  const candidates = [...[...byValue.values()].map((bucket) => [bucket, bucket] as const), [lacking, group] as const];
  for (const [left, right] of candidates) {
    for (const a of left) for (const b of right) if (a !== b && selectorsMayShare(selectorOf(a.object), selectorOf(b.object))) yield [a, b];
  }
}

function mostCommonLabel(group: readonly LoadedObject<Service>[]): string | undefined {
  const counts = new Map<string, number>();
  for (const s of group) for (const k of Object.keys(selectorOf(s.object))) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best: string | undefined;
  for (const [k, n] of counts) if (best === undefined || n > counts.get(best)!) best = k;
  return best;
}
