import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { namespaceOf } from '../../model/kinds.js';
import { findService, type PolicySet } from '../../model/policy-set.js';
import { report } from '../report.js';

/**
 * Rule-level consistency: prefix rewrites need prefix matches (AM3011), header names are
 * case-insensitive so two spellings of one name conflict (AM3012), and L7 rules need an HTTP port (AM3016).
 */
export function checkRules(set: PolicySet): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of set.routes) {
    const svc = findService(set, namespaceOf(r.object), r.object.spec.service);
    if (svc && svc.spec.ports.every((p) => p.protocol === 'tcp')) {
      out.push(
        report(
          r,
          'AM3016',
          ['spec', 'service'],
          `service "${svc.metadata.name}" has only tcp ports, but HTTP routing needs an http, http2 or grpc port; set the port's protocol or remove the route`,
        ),
      );
    }
    r.object.spec.rules.forEach((rule, i) => {
      for (const [field, value] of [
        ['rewrite', rule.rewrite?.pathPrefix],
        ['redirect', rule.redirect?.pathPrefix],
      ] as const) {
        if (value === undefined) continue;
        const matches = rule.matches ?? [];
        if (matches.length === 0 || matches.some((m) => !m.path || !('prefix' in m.path))) {
          out.push(
            report(
              r,
              'AM3011',
              ['spec', 'rules', i, field, 'pathPrefix'],
              `${field}.pathPrefix ${JSON.stringify(value)} replaces the matched prefix, but not every match of rule ${i} has path.prefix; use ${field === 'rewrite' ? 'rewrite.fullPath' : 'redirect.path'} or give each match a path.prefix`,
            ),
          );
        }
      }
      (rule.matches ?? []).forEach((m, j) => {
        const seen = new Map<string, string>();
        for (const name of Object.keys(m.headers ?? {})) {
          const lower = name.toLowerCase();
          const first = seen.get(lower);
          if (first !== undefined) {
            out.push(
              report(
                r,
                'AM3012',
                ['spec', 'rules', i, 'matches', j, 'headers', name],
                `header "${name}" repeats "${first}": header names are case-insensitive; merge the two conditions`,
              ),
            );
          } else seen.set(lower, name);
        }
      });
    });
  }
  return out;
}
