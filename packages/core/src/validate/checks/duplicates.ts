import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { namespaceOf, objectRef, type LoadedObject } from '../../model/kinds.js';
import type { PolicySet } from '../../model/policy-set.js';
import { report } from '../report.js';

const where = (l: LoadedObject) => `${l.source.file}:${l.source.line}`;

/** Names are unique per kind and namespace (AM3004); one Mesh, one route per service, one policy per target (AM3009). */
export function checkDuplicates(set: PolicySet): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map<string, LoadedObject>();
  for (const l of set.objects) {
    const key = objectRef(l.object);
    const first = byName.get(key);
    if (first) {
      out.push(
        report(l, 'AM3004', ['metadata', 'name'], `${key} is defined twice (first at ${where(first)}); rename one or remove the repeat`),
      );
    } else byName.set(key, l);
  }
  const conflicts = (items: readonly LoadedObject[], keyOf: (l: LoadedObject) => string, what: string, path: (string | number)[]) => {
    const seen = new Map<string, LoadedObject>();
    for (const l of items) {
      const key = keyOf(l);
      const first = seen.get(key);
      if (first && objectRef(first.object) !== objectRef(l.object)) {
        out.push(
          report(
            l,
            'AM3009',
            path,
            `${objectRef(l.object)} and ${objectRef(first.object)} (at ${where(first)}) are both ${what} ${key}; which one applies would be ambiguous: merge them into one object`,
          ),
        );
      } else if (!first) seen.set(key, l);
    }
  };
  const meshes = set.objects.filter((l) => l.object.kind === 'Mesh');
  conflicts(meshes, () => 'mesh', 'the Mesh settings for the', ['metadata', 'name']);
  conflicts(
    set.routes,
    (l) => `${namespaceOf(l.object)}/${(l.object as { spec: { service: string } }).spec.service}`,
    'the TrafficRoute of service',
    ['spec', 'service'],
  );
  conflicts(
    set.trafficPolicies,
    (l) => {
      const t = (l.object as { spec: { target: { service: string; version?: string } } }).spec.target;
      return `${namespaceOf(l.object)}/${t.service}${t.version ? `@${t.version}` : ''}`;
    },
    'the TrafficPolicy of target',
    ['spec', 'target'],
  );
  conflicts(
    set.rollouts,
    (l) => `${namespaceOf(l.object)}/${(l.object as { spec: { service: string } }).spec.service}`,
    'a Rollout of service',
    ['spec', 'service'],
  );
  return out;
}
