import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { namespaceOf } from '../../model/kinds.js';
import { findService, type PolicySet } from '../../model/policy-set.js';
import type { FieldPath } from '../../diagnostics/field-path.js';
import type { RouteMatch } from '../../model/generated.js';
import type { LoadedObject } from '../../model/kinds.js';
import { report } from '../report.js';

/**
 * An empty `exact` header or query value (AM2004). Consul's router validation treats "" as no
 * matcher and refuses the route, Gateway API (Linkerd) requires a non-empty value, so it cannot be
 * carried to every mesh; `regex: "^$"` says "present and empty" in all of them.
 */
function emptyMatchValues(r: LoadedObject, at: FieldPath, m: RouteMatch): Diagnostic[] {
  const entries = [
    ...Object.entries(m.headers ?? {}).map(([name, v]) => ['headers', name, v] as const),
    ...Object.entries(m.queryParams ?? {}).map(([name, v]) => ['queryParams', name, v] as const),
  ];
  return entries.flatMap(([field, name, v]) =>
    'exact' in v && v.exact === ''
      ? [
          report(
            r,
            'AM2004',
            [...at, field, name, 'exact'],
            `${field === 'headers' ? 'header' : 'query parameter'} "${name}" has an empty exact value, which Consul and Gateway API (Linkerd) refuse; to match a present, empty value write regex: "^$"`,
          ),
        ]
      : [],
  );
}

/**
 * Rule-level consistency: prefix rewrites need prefix matches (AM3011), header names are
 * case-insensitive so two spellings of one name conflict (AM3012), exact match values are not empty
 * (AM2004), and L7 rules need an HTTP port (AM3016).
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
        out.push(...emptyMatchValues(r, ['spec', 'rules', i, 'matches', j], m));
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
