import type { RolloutStatus } from '@anymesh/core';
import type { WizardOptions, WizardService } from '../api-types.js';
import type { DashboardContext } from '../context.js';
import { buildTopology } from '../topology/build-topology.js';
import { isActive } from './rollout-phase.js';

/**
 * The wizard's choices: every service with its versions, how many instances of each are up, and
 * what each version does now (so thresholds can be picked next to the stable version's values).
 */
export async function wizardOptions(ctx: DashboardContext): Promise<WizardOptions> {
  const { result } = await ctx.policies.snapshot();
  const live = ctx.scraper?.view();
  const topology = buildTopology(result.set, live);
  const running = await activeRollouts(ctx);
  const services = topology.nodes
    .filter((n) => n.namespace !== 'outside')
    .map((n): WizardService => {
      const stats = ctx.scraper?.versionStats(n.name);
      const active = running.find((r) => r.namespace === n.namespace && r.service === n.name);
      return {
        id: n.id,
        namespace: n.namespace,
        name: n.name,
        versions: n.versions.map((v) => {
          const s = stats?.get(v.name);
          return {
            name: v.name,
            instancesUp: v.instances.filter((i) => i.up).length,
            instances: v.instances.length,
            ...(s ? { requests: s.requests } : {}),
            current: s?.values ?? {},
          };
        }),
        ...(active ? { activeRollout: `${active.namespace}/${active.name}` } : {}),
      };
    });
  return {
    services,
    live: live !== undefined,
    windowSeconds: live?.status.windowSeconds ?? 0,
    ...(ctx.controlPlane
      ? {}
      : { cannotStart: 'starting a rollout needs a running native mesh: run `anymesh up` (or start the dashboard with a control plane)' }),
  };
}

/** Rollouts still moving; none when the control plane cannot say (the wizard still works for review). */
async function activeRollouts(ctx: DashboardContext): Promise<readonly RolloutStatus[]> {
  if (!ctx.controlPlane) return [];
  try {
    return (await ctx.controlPlane.listRollouts()).rollouts.filter((r) => isActive(r.phase));
  } catch {
    return [];
  }
}
