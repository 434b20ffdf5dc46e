import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { PolicySet } from '../../model/policy-set.js';
import { parseDuration } from '../../semantics/duration.js';
import { report } from '../report.js';
import { stepWeightOf } from '../../rollout/canary-steps.js';

/** A rollout moves between two different versions (AM3010), in increasing steps (AM3015), with sensible metric bounds (AM3014). */
export function checkRollouts(set: PolicySet): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ro of set.rollouts) {
    const spec = ro.object.spec;
    if (spec.from === spec.to) {
      out.push(report(ro, 'AM3010', ['spec', 'to'], `rollout goes from "${spec.from}" to the same version; set "to" to the new version`));
    }
    if ('canary' in spec.strategy) {
      const c = spec.strategy.canary;
      const path = ['spec', 'strategy', 'canary'];
      if ((c.steps === undefined) === (c.stepWeight === undefined)) {
        out.push(report(ro, 'AM3015', path, 'canary needs exactly one of steps (e.g. [10, 25, 50]) or stepWeight (e.g. 10)'));
      }
      const weights = c.steps?.map(stepWeightOf);
      weights?.forEach((w, i) => {
        if (i > 0 && w <= weights[i - 1]!) {
          out.push(
            report(
              ro,
              'AM3015',
              [...path, 'steps', i],
              `canary steps must increase, but step ${i} (${w}) is not above step ${i - 1} (${weights[i - 1]})`,
            ),
          );
        }
      });
      if (c.stepWeight !== undefined && c.maxWeight !== undefined && c.stepWeight > c.maxWeight) {
        out.push(
          report(ro, 'AM3015', [...path, 'stepWeight'], `stepWeight ${c.stepWeight} is above maxWeight ${c.maxWeight}; lower stepWeight`),
        );
      }
    }
    spec.analysis?.metrics.forEach((m, i) => {
      const path = ['spec', 'analysis', 'metrics', i];
      if (m.min === undefined && m.max === undefined) {
        out.push(report(ro, 'AM3014', path, `metric ${m.name} has neither min nor max, so it can never fail; add a bound`));
      }
      for (const bound of ['min', 'max'] as const) {
        const v = m[bound];
        if (v === undefined) continue;
        const latency = m.name.startsWith('latency');
        if (latency && (typeof v !== 'string' || parseDuration(v) === undefined)) {
          out.push(
            report(ro, 'AM3014', [...path, bound], `${m.name} ${bound} must be a duration such as "500ms", got ${JSON.stringify(v)}`),
          );
        } else if (!latency && typeof v !== 'number') {
          out.push(report(ro, 'AM3014', [...path, bound], `${m.name} ${bound} must be a number, got ${JSON.stringify(v)}`));
        } else if (m.name === 'success-rate' && typeof v === 'number' && (v < 0 || v > 100)) {
          out.push(report(ro, 'AM3014', [...path, bound], `success-rate ${bound} is a percentage from 0 to 100, got ${v}`));
        }
      }
    });
  }
  return out;
}
