import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { FieldPath } from '../../diagnostics/field-path.js';
import { namespaceOf, type LoadedObject } from '../../model/kinds.js';
import { findService, servicesIn, type PolicySet } from '../../model/policy-set.js';
import { report } from '../report.js';

/** Every service and version a policy names must exist in the policy set (AM3001, AM3002, AM3010). */
export function checkReferences(set: PolicySet): Diagnostic[] {
  const out: Diagnostic[] = [];
  // The list of a namespace's services goes into every AM3001 of that namespace: joined once per namespace.
  const knownLists = new Map<string, string>();
  const known = (ns: string): string => {
    let list = knownLists.get(ns);
    if (list === undefined) {
      const names = servicesIn(set, ns).map((s) => s.object.metadata.name);
      list = names.length ? names.join(', ') : '(none)';
      knownLists.set(ns, list);
    }
    return list;
  };

  const service = (loaded: LoadedObject, path: FieldPath, name: string, role: string, severity: 'error' | 'warning' = 'error') => {
    const ns = namespaceOf(loaded.object);
    const svc = findService(set, ns, name);
    if (!svc) {
      out.push(
        report(
          loaded,
          'AM3001',
          path,
          `${role} "${name}" is not a Service in namespace "${ns}"; known services: ${known(ns)}; add a Service object or fix the name`,
          severity,
        ),
      );
    }
    return svc;
  };
  const version = (loaded: LoadedObject, path: FieldPath, svcName: string, v: string | undefined, code: 'AM3002' | 'AM3010' = 'AM3002') => {
    if (v === undefined) return;
    const svc = findService(set, namespaceOf(loaded.object), svcName);
    if (!svc) return; // already reported as an unknown service
    const versions = Object.keys(svc.spec.versions ?? {});
    if (!versions.includes(v)) {
      out.push(
        report(
          loaded,
          code,
          path,
          `version "${v}" is not defined by Service "${svcName}"; its versions: ${versions.length ? versions.join(', ') : '(none)'}; add it under spec.versions or fix the name`,
        ),
      );
    }
  };

  for (const r of set.routes) {
    const spec = r.object.spec;
    service(r, ['spec', 'service'], spec.service, 'route service');
    spec.rules.forEach((rule, i) => {
      rule.destinations?.forEach((d, j) => {
        const target = d.service ?? spec.service;
        if (d.service) service(r, ['spec', 'rules', i, 'destinations', j, 'service'], d.service, 'destination service');
        version(r, ['spec', 'rules', i, 'destinations', j, 'version'], target, d.version);
      });
      if (rule.mirror) {
        const target = rule.mirror.service ?? spec.service;
        if (rule.mirror.service) service(r, ['spec', 'rules', i, 'mirror', 'service'], rule.mirror.service, 'mirror service');
        version(r, ['spec', 'rules', i, 'mirror', 'version'], target, rule.mirror.version);
      }
    });
  }
  for (const p of set.trafficPolicies) {
    const t = p.object.spec.target;
    service(p, ['spec', 'target', 'service'], t.service, 'target service');
    version(p, ['spec', 'target', 'version'], t.service, t.version);
  }
  for (const a of set.accessPolicies) {
    a.object.spec.rules.forEach((rule, i) => {
      service(a, ['spec', 'rules', i, 'to', 'service'], rule.to.service, 'destination service');
      rule.from?.forEach((src, j) => {
        if (src.service === undefined || (src.namespace !== undefined && src.namespace !== namespaceOf(a.object))) return;
        const found = service(a, ['spec', 'rules', i, 'from', j, 'service'], src.service, 'source service');
        if (found) version(a, ['spec', 'rules', i, 'from', j, 'version'], src.service, src.version);
      });
    });
  }
  for (const ro of set.rollouts) {
    const spec = ro.object.spec;
    if (service(ro, ['spec', 'service'], spec.service, 'rollout service')) {
      version(ro, ['spec', 'from'], spec.service, spec.from, 'AM3010');
      version(ro, ['spec', 'to'], spec.service, spec.to, 'AM3010');
    }
  }
  for (const w of set.workloads) {
    if (service(w, ['spec', 'service'], w.object.spec.service, 'workload service')) {
      version(w, ['spec', 'version'], w.object.spec.service, w.object.spec.version);
    }
  }
  return out;
}
