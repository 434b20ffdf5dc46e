import { findService, parseSpiffeId, serviceAccountOf, versionNames, type AccessRule, type PolicySet, type Service } from '@anymesh/core';

/**
 * Who a neutral rule's `from` names, in Consul's terms. Consul intentions name callers by service
 * name (or `*`), never by version or service account, so a rule that names only some of a service's
 * identities is `partial` for it: the caller must fail closed (drop an allow, widen a deny).
 */
export interface RuleCallers {
  /** No `from`: any caller. */
  readonly any: boolean;
  /** Namespaces whose every caller matches (`from: [{namespace}]`). */
  readonly namespaces: ReadonlySet<string>;
  /** `ns/name` of services all of whose identities the rule names. */
  readonly services: ReadonlySet<string>;
  /** `ns/name` of services only some of whose identities (versions) the rule names. */
  readonly partial: ReadonlySet<string>;
  /** Identities (`ns/serviceAccount`) no service of the policy set runs as: Consul cannot name them. */
  readonly unknown: readonly string[];
}

/** The service accounts a service's workloads run under: one per version, or the service's own. */
export function identitiesOf(service: Service): Set<string> {
  const versions = versionNames(service);
  return new Set(versions.length > 0 ? versions.map((v) => serviceAccountOf(service, v)) : [serviceAccountOf(service)]);
}

function servicesIn(set: PolicySet, namespace: string): Service[] {
  return [...set.services.values()].map((s) => s.object).filter((s) => (s.metadata.namespace ?? 'default') === namespace);
}

export function ruleCallers(set: PolicySet, rule: AccessRule, policyNamespace: string, trustDomain: string): RuleCallers {
  if (rule.from === undefined) return { any: true, namespaces: new Set(), services: new Set(), partial: new Set(), unknown: [] };
  const namespaces = new Set<string>();
  const services = new Set<string>();
  const matched = new Map<string, Set<string>>();
  const named = (ns: string, sa: string) => matched.set(ns, (matched.get(ns) ?? new Set()).add(sa));
  for (const source of rule.from) {
    if (source.identity !== undefined) {
      const id = parseSpiffeId(source.identity);
      // Another trust domain or form: no workload of this mesh has it, in either model.
      if (id !== undefined && id.trustDomain === trustDomain) named(id.namespace, id.serviceAccount);
      continue;
    }
    const ns = source.namespace ?? policyNamespace;
    if (source.service === undefined) {
      namespaces.add(ns);
      continue;
    }
    const service = findService(set, ns, source.service);
    // A service outside the policy set: Consul knows it by the same name.
    if (service === undefined) services.add(`${ns}/${source.service}`);
    else named(ns, serviceAccountOf(service, source.version));
  }
  const partial = new Set<string>();
  const unknown: string[] = [];
  for (const [ns, sas] of matched) {
    const known = new Set(servicesIn(set, ns).flatMap((s) => [...identitiesOf(s)]));
    unknown.push(...[...sas].filter((sa) => !known.has(sa)).map((sa) => `${ns}/${sa}`));
    for (const service of servicesIn(set, ns)) {
      const ids = [...identitiesOf(service)];
      const hit = ids.filter((id) => sas.has(id)).length;
      const key = `${ns}/${service.metadata.name}`;
      if (hit === ids.length) services.add(key);
      else if (hit > 0) partial.add(key);
    }
  }
  return { any: false, namespaces, services, partial: new Set([...partial].filter((k) => !services.has(k))), unknown };
}
