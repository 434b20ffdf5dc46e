import type { Mirror, RouteMatch, RouteRule, Rollout, TrafficRoute } from '../model/generated.js';
import { namespaceOf } from '../model/kinds.js';
import { routeFor, type PolicySet } from '../model/policy-set.js';
import { buildRouteTable } from '../semantics/route-table.js';
import { covers } from '../validate/checks/unreachable.js';
import { cohortMatches, conjoin } from './cohort-match.js';
import { configOf } from './config.js';
import type { TrafficPlan } from './contract.js';
import { ALL_FROM, ALL_TO, describeTraffic, humanDuration } from './traffic.js';
import { inShare, resplitDestinations, type Versions } from './resplit.js';

/**
 * The rollout's service's TrafficRoute with `traffic` in force: the authored route rewritten, or
 * one made (docs/rollouts.md, "The route at each stage"). Pure.
 * - Every rule's share of `from`, `to` and the unversioned service is re-split per the plan; shares
 *   of other versions and services are kept. Requests no rule matches get a catch-all rule, so they
 *   follow the plan too.
 * - Cohort (A/B) and preview (blue/green): every authored match block is narrowed to each cohort
 *   block and put first, with the share all to `to`: the narrowed copy is at least as specific as
 *   its original and wins ties by order, so a cohort request takes the copy of the rule it would
 *   have taken, and every other request routes exactly as before (share to `from`).
 * - Authored mirrors to `to` are removed in every stage: the rollout owns the new version's traffic,
 *   copies included (a failed version gets nothing; copies would also skew its analysis). Blue/green
 *   with `mirror` adds a 100 % mirror to `to` on every rule that sends a share to `from`.
 */
export function routeForTraffic(set: PolicySet, rollout: Rollout, traffic: TrafficPlan): TrafficRoute {
  const ns = namespaceOf(rollout);
  const v: Versions = { service: rollout.spec.service, from: rollout.spec.from, to: rollout.spec.to };
  const authored = routeFor(set, ns, v.service);
  const rules = withCatchAll(authored?.spec.rules ?? [], v.service);
  const route = (rs: RouteRule[]): TrafficRoute => ({
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'TrafficRoute',
    metadata: authored?.metadata ?? { name: v.service, namespace: ns },
    spec: { service: v.service, rules: rs as [RouteRule, ...RouteRule[]] },
  });
  switch (traffic.kind) {
    case 'weights':
      return route(rules.map((r) => split(r, v, traffic.to)));
    case 'cohort':
      return route(withCohort(rules, v, cohortMatches(traffic.matches), 'cohort', false));
    case 'preview':
      return route(withCohort(rules, v, [{ headers: { [traffic.header]: { exact: 'true' } } }], 'preview', traffic.mirror));
  }
}

/** Every configuration a rollout goes through, in order, ending with promotion and with rollback. */
export function rolloutStages(rollout: Rollout): { label: string; traffic: TrafficPlan }[] {
  const cfg = configOf(rollout);
  const { from, to } = rollout.spec;
  const end = [
    { label: `promoted: 100 % to ${to}`, traffic: ALL_TO },
    { label: `rolled back or aborted: 100 % to ${from}`, traffic: ALL_FROM },
  ];
  switch (cfg.strategy) {
    case 'canary': {
      const stages = cfg.canary.map((s, i) => {
        const traffic: TrafficPlan = { kind: 'weights', from: 100 - s.weight, to: s.weight };
        const pause = s.pause
          ? s.pause.ms === undefined
            ? ', then paused until promote'
            : `, then a ${humanDuration(s.pause.ms)} pause`
          : '';
        return { label: `step ${i + 1} of ${cfg.steps}: ${describeTraffic(traffic, to)}${pause}`, traffic };
      });
      return [...stages, ...end];
    }
    case 'abTest': {
      const traffic: TrafficPlan = { kind: 'cohort', matches: cfg.matches };
      return [{ label: `checks 1–${cfg.steps}: ${describeTraffic(traffic, to)}, everyone else on ${from}`, traffic }, ...end];
    }
    case 'blueGreen': {
      const traffic: TrafficPlan = { kind: 'preview', header: cfg.previewHeader, mirror: cfg.mirror };
      return [{ label: `checks 1–${cfg.steps}: ${describeTraffic(traffic, to)}, everyone else on ${from}`, traffic }, ...end];
    }
  }
}

/** The rules plus, unless one already takes every request, a last rule for the service (all versions). */
function withCatchAll(rules: readonly RouteRule[], service: string): RouteRule[] {
  const takesAll = rules.some((r) => !r.matches?.length || r.matches.some((m) => covers(m, undefined)));
  return takesAll ? [...rules] : [...rules, { name: `${service}-rollout-default`.slice(0, 63).replace(/-+$/, '') }];
}

/** A rule with the share re-split (`toPercent` to `to`) and authored mirrors to `to` removed. */
function split(rule: RouteRule, v: Versions, toPercent: number, extraMirror?: Mirror): RouteRule {
  const { destinations: _d, mirror, ...rest } = rule;
  const destinations = resplitDestinations(rule, v, toPercent);
  const kept = mirror && !mirrorsTo(mirror, v) ? mirror : undefined;
  const m = kept ?? (extraMirror && sharesWith(rule, v) ? extraMirror : undefined);
  return { ...rest, ...(destinations ? { destinations } : {}), ...(m ? { mirror: m } : {}) };
}

function mirrorsTo(m: Mirror, v: Versions): boolean {
  return (m.service === undefined || m.service === v.service) && m.version === v.to;
}

function sharesWith(rule: RouteRule, v: Versions): boolean {
  return !rule.redirect && (rule.destinations ?? [{}]).some((d) => inShare(d, v) && (d.weight ?? 1) > 0);
}

/**
 * Cohort copies first, in the authored precedence order (one copy per authored match block, so
 * ties among copies resolve as among the originals), then the authored rules with the share to `from`.
 */
function withCohort(rules: RouteRule[], v: Versions, cohort: readonly RouteMatch[], kind: string, mirror: boolean): RouteRule[] {
  const table = buildRouteTable({
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'TrafficRoute',
    metadata: { name: v.service },
    spec: { service: v.service, rules: rules as [RouteRule, ...RouteRule[]] },
  });
  const copies: RouteRule[] = [];
  for (const entry of table) {
    const own = entry.matchIndex < 0 ? undefined : entry.rule.matches?.[entry.matchIndex];
    const matches = cohort.map((c) => conjoin(own, c)).filter((m): m is RouteMatch => m !== undefined);
    if (matches.length === 0) continue;
    const base = split(entry.rule, v, 100);
    const name = `${entry.rule.name ?? `rule-${entry.ruleIndex}`}-${kind}`.slice(0, 63).replace(/-+$/, '');
    copies.push({ ...base, name, matches });
  }
  const previewMirror: Mirror | undefined = mirror ? { version: v.to, percent: 100 } : undefined;
  return [...copies, ...rules.map((r) => split(r, v, 0, previewMirror))];
}
