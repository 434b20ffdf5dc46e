import type { RouteDecision } from '../../src/index.js';
import { selects, WORKLOAD_ANNOTATION, type AppliedState } from '../evaluators/index.js';

/**
 * A decision with every target named by the pods it reaches, for policy sets whose services share
 * pods (one selector for several services). There "service a, any version" and "service a-b, any
 * version" can be one set of pods, and the mesh evaluators name a set that is no single neutral
 * workload by its pods; comparing pods is what a caller observes. A neutral target's pods are those
 * its service's selector picks (a version: the selector and the version's labels, as on that
 * version's fixture pod); a `pods[…]` target already lists them.
 */
export function podDecision(state: AppliedState, namespace: string, d: RouteDecision): unknown {
  if (d.kind === 'redirect') return d;
  const pods = state.list('Pod', { group: '', namespace });
  const podsOf = (service: string, version: string | undefined): string => {
    if (version?.startsWith('pods[')) return version.slice(5, -1);
    const labels = version
      ? pods.find((p) => p.metadata.annotations?.[WORKLOAD_ANNOTATION] === `${service}/${version}`)?.metadata.labels
      : (state.get('Service', namespace, service, '')?.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (labels === undefined) return `unknown ${service}/${version ?? '*'}`;
    return pods
      .filter((p) => selects(labels, p.metadata.labels))
      .map((p) => p.metadata.name)
      .sort()
      .join(',');
  };
  const merged = new Map<string, number>();
  for (const t of d.targets) {
    const key = podsOf(t.service, t.version);
    merged.set(key, (merged.get(key) ?? 0) + t.share);
  }
  return {
    kind: d.kind,
    path: d.path,
    host: d.host,
    targets: [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, s]) => [k, Math.round(s * 1e9) / 1e9]),
  };
}
