import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { PolicySet } from '../../model/policy-set.js';
import { report } from '../report.js';

/** Weights are relative integers; a rule whose destinations all weigh 0 sends traffic nowhere (AM3003). */
export function checkWeights(set: PolicySet): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of set.routes) {
    r.object.spec.rules.forEach((rule, i) => {
      const ds = rule.destinations;
      if (!ds) return;
      const weights = ds.map((d) => d.weight ?? 1);
      if (weights.every((w) => w === 0)) {
        out.push(
          report(
            r,
            'AM3003',
            ['spec', 'rules', i, 'destinations', 0, 'weight'],
            `all ${ds.length} destinations of rule ${i} have weight 0, so matching requests could go nowhere; weights are relative integers: give at least one destination a positive weight`,
          ),
        );
      }
    });
  }
  return out;
}
