import { canarySteps, namespaceOf, parseDuration, type AnalysisMetric, type Rollout, type RolloutStatus } from '@anymesh/core';
import type { RolloutDetailView } from '../api-types.js';
import type { ControlPlaneClient } from '../sources/control-plane.js';

/**
 * A rollout's status and full history from the control plane, with what the detail page draws
 * from its spec: the canary ladder and the metric bounds. The spec is read from the policies in
 * force (a rollout started from the dashboard or the CLI is not in the policy directory).
 */
export async function rolloutDetail(client: ControlPlaneClient, namespace: string, name: string): Promise<RolloutDetailView> {
  const [status, events] = await Promise.all([client.rollout(namespace, name), client.rolloutEvents(namespace, name)]);
  const spec = await specOf(client, status);
  return {
    status,
    events: events.events,
    ladder: spec && 'canary' in spec.spec.strategy ? canarySteps(spec.spec.strategy.canary).map((s) => s.weight) : [],
    thresholds: spec ? (spec.spec.analysis?.metrics ?? []).map(boundsOf) : thresholdsFromChecks(status.analysis.at(-1)?.checks ?? []),
  };
}

/**
 * The spec changes only when the rollout is started again (a new `startedAt`), so it is read from
 * the policies in force once per start, not on every refresh of an open page (the snapshot holds
 * every policy and instance of the mesh).
 */
const specs = new WeakMap<ControlPlaneClient, Map<string, Rollout | undefined>>();

async function specOf(client: ControlPlaneClient, status: RolloutStatus): Promise<Rollout | undefined> {
  let known = specs.get(client);
  if (!known) specs.set(client, (known = new Map()));
  const key = `${status.namespace}/${status.name}@${status.startedAt}`;
  if (known.has(key)) return known.get(key);
  const policies = await client.policiesInForce().catch(() => undefined);
  if (!policies) return undefined; // not cached: asked again on the next refresh
  const spec = policies.find(
    (p): p is Rollout => p.kind === 'Rollout' && p.metadata.name === status.name && namespaceOf(p) === status.namespace,
  );
  for (const k of known.keys()) if (k.startsWith(`${status.namespace}/${status.name}@`)) known.delete(k);
  known.set(key, spec);
  return spec;
}

function boundsOf(m: AnalysisMetric): RolloutDetailView['thresholds'][number] {
  const value = (v: number | string | undefined) => (v === undefined ? undefined : typeof v === 'number' ? v : parseDuration(v));
  const min = value(m.min);
  const max = value(m.max);
  return { metric: m.name, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

/** Without the spec, the last interval's checks carry the same bounds. */
function thresholdsFromChecks(checks: RolloutDetailView['status']['analysis'][number]['checks']): RolloutDetailView['thresholds'] {
  return checks.map((c) => ({
    metric: c.metric,
    ...(c.min === undefined ? {} : { min: c.min }),
    ...(c.max === undefined ? {} : { max: c.max }),
  }));
}
