import { namespaceOf, routeFor, versionNames, type PolicySet } from '@anymesh/core';
import type { EdgeView, InstanceView, ServiceNodeView, Topology, VersionView } from '../api-types.js';
import type { LiveView } from '../metrics/live-scraper.js';
import type { InstanceInfo } from '../sources/control-plane.js';
import { policiesFor } from './applicable-policies.js';
import { declaredEdges } from './declared-edges.js';
import { edgeHealth, serviceHealth } from './health.js';
import { splitsOf } from './splits.js';

/** Callers the sidecars cannot name (a load generator, a browser) are drawn as one node. */
export const OUTSIDE_ID = 'outside/outside the mesh';

function instanceView(i: InstanceInfo, reachable: ReadonlySet<string>): InstanceView {
  const locality = [i.locality?.region, i.locality?.zone].filter(Boolean).join('/');
  return { id: i.id, version: i.version, address: `${i.host}:${i.inboundPort}`, up: reachable.has(i.id), locality: locality || undefined };
}

/** Joins the policies (what should run) with the live view (what runs and what it does). */
export function buildTopology(set: PolicySet, live: LiveView | undefined, now = new Date()): Topology {
  const ids = new Map<string, string>(); // bare service name (as metrics label it) → node id
  const names = new Map<string, { namespace: string; name: string }>();
  const note = (namespace: string, name: string) => {
    const id = `${namespace}/${name}`;
    if (!names.has(id)) names.set(id, { namespace, name });
    if (!ids.has(name)) ids.set(name, id);
    return id;
  };
  for (const s of set.services.values()) note(namespaceOf(s.object), s.object.metadata.name);
  for (const i of live?.instances ?? []) note(i.namespace, i.service);

  const edges = new Map<string, EdgeView>();
  for (const t of live?.traffic.values() ?? []) {
    const source = t.source ? (ids.get(t.source) ?? note('outside', t.source)) : OUTSIDE_ID;
    if (source === OUTSIDE_ID) names.set(OUTSIDE_ID, { namespace: 'outside', name: 'outside the mesh' });
    const target = ids.get(t.destination) ?? note('outside', t.destination);
    const id = `${source}>${target}`;
    edges.set(id, { id, source, target, origin: 'observed', stats: t.stats, health: edgeHealth(t.stats) });
  }
  for (const d of declaredEdges(set)) {
    const id = `${d.source}>${d.target}`;
    if (!names.has(d.source) || !names.has(d.target) || edges.has(id)) continue;
    edges.set(id, { id, source: d.source, target: d.target, origin: 'declared', stats: undefined, health: 'unknown' });
  }

  const nodes: ServiceNodeView[] = [...names].map(([id, { namespace, name }]) => {
    const declared = set.services.get(id)?.object;
    const instances = (live?.instances ?? [])
      .filter((i) => i.namespace === namespace && i.service === name)
      .map((i) => instanceView(i, live?.reachable ?? new Set()));
    const inbound = [...edges.values()].filter((e) => e.target === id);
    const inboundRps = inbound.reduce((sum, e) => sum + (e.stats?.rps ?? 0), 0);
    const byVersion = new Map<string, number>();
    for (const e of inbound)
      for (const [v, rps] of Object.entries(e.stats?.byVersion ?? {})) byVersion.set(v, (byVersion.get(v) ?? 0) + rps);
    const versionSet = new Set([...(declared ? versionNames(declared) : []), ...instances.flatMap((i) => (i.version ? [i.version] : []))]);
    const versions: VersionView[] = [...versionSet].sort().map((v) => ({
      name: v,
      instances: instances.filter((i) => i.version === v),
      observedPercent: inboundRps > 0 ? (100 * (byVersion.get(v) ?? 0)) / inboundRps : undefined,
    }));
    const up = instances.filter((i) => i.up).length;
    return {
      id,
      name,
      namespace,
      versions,
      health: live
        ? serviceHealth(
            up,
            instances.length,
            inbound.map((e) => e.health),
          )
        : 'unknown',
      inboundRps,
      splits: splitsOf(routeFor(set, namespace, name)),
      policies: policiesFor(set, namespace, name),
    };
  });
  nodes.sort((a, b) => a.id.localeCompare(b.id));

  return {
    nodes,
    edges: [...edges.values()].sort((a, b) => a.id.localeCompare(b.id)),
    live: live?.status ?? { mode: 'static', problem: undefined, lastScrapeAt: undefined, windowSeconds: 0 },
    generatedAt: now.toISOString(),
  };
}
