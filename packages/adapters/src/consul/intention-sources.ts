import {
  findService,
  parseSpiffeId,
  serviceAccountOf,
  servicesIn,
  versionNames,
  type AccessRule,
  type PolicySet,
  type Service,
} from '@anymesh/core';

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

/** A namespace's services with their identities, and which services run as each identity. */
interface NamespaceIdentities {
  /** In the order of `servicesIn`. */
  readonly services: readonly { readonly service: Service; readonly ids: ReadonlySet<string> }[];
  /** Service account → positions in `services`, ascending. */
  readonly runAs: ReadonlyMap<string, readonly number[]>;
}

// Built once per policy set and namespace: every rule naming a caller there looks its identities up.
const identityIndexes = new WeakMap<PolicySet, Map<string, NamespaceIdentities>>();

function namespaceIdentities(set: PolicySet, namespace: string): NamespaceIdentities {
  let byNamespace = identityIndexes.get(set);
  if (!byNamespace) {
    byNamespace = new Map();
    identityIndexes.set(set, byNamespace);
  }
  let index = byNamespace.get(namespace);
  if (!index) {
    const services = servicesIn(set, namespace).map((s) => ({ service: s.object, ids: identitiesOf(s.object) }));
    const runAs = new Map<string, number[]>();
    services.forEach(({ ids }, i) => {
      for (const id of ids) {
        const list = runAs.get(id);
        if (list) list.push(i);
        else runAs.set(id, [i]);
      }
    });
    index = { services, runAs };
    byNamespace.set(namespace, index);
  }
  return index;
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
    const index = namespaceIdentities(set, ns);
    for (const sa of sas) if (!index.runAs.has(sa)) unknown.push(`${ns}/${sa}`);
    // Only the services running as a named identity can match; visited in namespace order, as a scan would.
    const candidates = new Set<number>();
    for (const sa of sas) for (const i of index.runAs.get(sa) ?? []) candidates.add(i);
    for (const i of [...candidates].sort((a, b) => a - b)) {
      const { service, ids } = index.services[i]!;
      let hit = 0;
      for (const id of ids) if (sas.has(id)) hit++;
      const key = `${ns}/${service.metadata.name}`;
      if (hit === ids.size) services.add(key);
      else partial.add(key);
    }
  }
  return { any: false, namespaces, services, partial: new Set([...partial].filter((k) => !services.has(k))), unknown };
}
