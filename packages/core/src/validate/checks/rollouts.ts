import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LoadedObject } from '../../model/kinds.js';
import { namespaceOf } from '../../model/kinds.js';
import type { Rollout, RouteMatch } from '../../model/generated.js';
import { loadedRouteFor, type PolicySet } from '../../model/policy-set.js';
import { parseDuration } from '../../semantics/duration.js';
import { report } from '../report.js';
import { stepWeightOf } from '../../rollout/canary-steps.js';
import { DEFAULTS } from '../../model/defaults.js';

/**
 * Rollout consistency: increasing canary steps (AM3015), sensible metric bounds (AM3014), metric
 * queries only where Prometheus reads them (AM3017), unique webhook names (AM3018), cohort headers
 * the service's route does not also match on (AM3019), a progress deadline that leaves time for an
 * analysis (AM3020). Versions (AM3010) are checked with the other references; two rollouts of one
 * service (AM3009) with the other conflicts.
 */
export function checkRollouts(set: PolicySet): Diagnostic[] {
  return set.rollouts.flatMap((ro) => [...steps(ro), ...metrics(ro), ...webhooks(ro), ...deadline(ro), ...cohortOverlap(set, ro)]);
}

function steps(ro: LoadedObject<Rollout>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const spec = ro.object.spec;
  if (spec.from === spec.to) {
    out.push(report(ro, 'AM3010', ['spec', 'to'], `rollout goes from "${spec.from}" to the same version; set "to" to the new version`));
  }
  if (!('canary' in spec.strategy)) return out;
  const c = spec.strategy.canary;
  const path = ['spec', 'strategy', 'canary'];
  if ((c.steps === undefined) === (c.stepWeight === undefined)) {
    out.push(report(ro, 'AM3015', path, 'canary needs exactly one of steps (e.g. [10, 25, 50]) or stepWeight (e.g. 10)'));
  }
  const weights = c.steps?.map(stepWeightOf) ?? [];
  weights.forEach((w, i) => {
    const before = weights[i - 1];
    if (before !== undefined && w <= before) {
      out.push(
        report(
          ro,
          'AM3015',
          [...path, 'steps', i],
          `canary steps must increase, but step ${i} (${w}) is not above step ${i - 1} (${before})`,
        ),
      );
    }
  });
  if (c.stepWeight !== undefined && c.maxWeight !== undefined && c.stepWeight > c.maxWeight) {
    out.push(
      report(ro, 'AM3015', [...path, 'stepWeight'], `stepWeight ${c.stepWeight} is above maxWeight ${c.maxWeight}; lower stepWeight`),
    );
  }
  return out;
}

function metrics(ro: LoadedObject<Rollout>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const analysis = ro.object.spec.analysis;
  const prometheus = analysis?.provider !== undefined && 'prometheus' in analysis.provider;
  analysis?.metrics.forEach((m, i) => {
    const path = ['spec', 'analysis', 'metrics', i];
    if (m.min === undefined && m.max === undefined) {
      out.push(report(ro, 'AM3014', path, `metric ${m.name} has neither min nor max, so it can never fail; add a bound`));
    }
    for (const bound of ['min', 'max'] as const) {
      const v = m[bound];
      if (v === undefined) continue;
      const latency = m.name.startsWith('latency');
      if (latency && (typeof v !== 'string' || parseDuration(v) === undefined)) {
        out.push(report(ro, 'AM3014', [...path, bound], `${m.name} ${bound} must be a duration such as "500ms", got ${JSON.stringify(v)}`));
      } else if (!latency && typeof v !== 'number') {
        out.push(report(ro, 'AM3014', [...path, bound], `${m.name} ${bound} must be a number, got ${JSON.stringify(v)}`));
      } else if (m.name === 'success-rate' && typeof v === 'number' && (v < 0 || v > 100)) {
        out.push(report(ro, 'AM3014', [...path, bound], `success-rate ${bound} is a percentage from 0 to 100, got ${v}`));
      }
    }
    if (m.query !== undefined && !prometheus) {
      const provider = analysis?.provider ? 'the sidecars provider' : 'the default (sidecars) provider';
      out.push(
        report(
          ro,
          'AM3017',
          [...path, 'query'],
          `metric ${m.name} has a PromQL query, but the metrics come from ${provider}, which ignores it; set analysis.provider.prometheus.address or remove the query`,
          'warning',
        ),
      );
    }
  });
  return out;
}

function webhooks(ro: LoadedObject<Rollout>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, number>();
  ro.object.spec.webhooks?.forEach((w, i) => {
    const first = seen.get(w.name);
    if (first === undefined) seen.set(w.name, i);
    else {
      out.push(
        report(
          ro,
          'AM3018',
          ['spec', 'webhooks', i, 'name'],
          `webhook name "${w.name}" is already used by spec.webhooks[${first}]; names identify webhooks in events and must be unique in a rollout`,
        ),
      );
    }
  });
  return out;
}

function deadline(ro: LoadedObject<Rollout>): Diagnostic[] {
  const a = ro.object.spec.analysis;
  if (a?.progressDeadline === undefined) return [];
  const interval = a.interval ?? DEFAULTS.rolloutInterval;
  const d = parseDuration(a.progressDeadline);
  const i = parseDuration(interval);
  if (d === undefined || i === undefined || d > i) return [];
  return [
    report(
      ro,
      'AM3020',
      ['spec', 'analysis', 'progressDeadline'],
      `progressDeadline ${a.progressDeadline} is not longer than the analysis interval ${interval}, so every step would miss it before its first analysis; make it several intervals long (default 10m)`,
    ),
  ];
}

/**
 * The cohort (A/B headers and cookie, or the blue/green preview header) is carried into copies of
 * the route's rules; when the route itself matches on one of those headers, a copy can be less
 * specific than its original, and a cohort request may take the copy of another rule (docs/rollouts.md).
 */
function cohortOverlap(set: PolicySet, ro: LoadedObject<Rollout>): Diagnostic[] {
  const spec = ro.object.spec;
  let names: string[];
  let path: string[];
  if ('abTest' in spec.strategy) {
    names = spec.strategy.abTest.match.flatMap((m) => [...Object.keys(m.headers ?? {}), ...(m.cookie ? ['cookie'] : [])]);
    path = ['spec', 'strategy', 'abTest', 'match'];
  } else if ('blueGreen' in spec.strategy) {
    names = [spec.strategy.blueGreen.previewHeader ?? 'x-anymesh-preview'];
    path = ['spec', 'strategy', 'blueGreen'];
  } else return [];
  const route = loadedRouteFor(set, namespaceOf(ro.object), spec.service);
  if (!route) return [];
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const used = new Set<string>();
  for (const rule of route.object.spec.rules) {
    for (const m of rule.matches ?? []) for (const h of headerNames(m)) if (wanted.has(h)) used.add(h);
  }
  if (used.size === 0) return [];
  const list = [...used].sort().join(', ');
  return [
    report(
      ro,
      'AM3019',
      path,
      `the TrafficRoute ${route.object.metadata.name} (${route.source.file}:${route.source.line}) also matches on ${list}, which the rollout's cohort uses; cohort requests that an equally specific earlier rule conditioning ${list} would take may be routed by another rule's cohort copy; match the cohort on a header the route does not use`,
      'warning',
    ),
  ];
}

function headerNames(m: RouteMatch): string[] {
  return Object.keys(m.headers ?? {}).map((n) => n.toLowerCase());
}
