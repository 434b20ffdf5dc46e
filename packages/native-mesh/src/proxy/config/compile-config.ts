import {
  buildPolicySet,
  buildRouteTable,
  compileAccess,
  namespaceOf,
  routeFor,
  trafficPolicyFor,
  type AccessDecision,
  type AccessRequest,
  type LoadedObject,
  type MeshSettings,
  type PolicySet,
  type RouteEntry,
} from '@anymesh/core';
import type { ConfigSnapshot, InstanceInfo } from '../../protocol/types.js';
import type { UpstreamGroup } from '../upstream/group.js';
import { compileRule, type CompiledRule } from './compiled-rule.js';

/** A table entry with its compiled rule and, for prefix rewrites/redirects, the prefix it matched. */
export interface CompiledEntry {
  readonly entry: RouteEntry;
  readonly rule: CompiledRule;
  readonly matchedPrefix: string | undefined;
}

/** Everything the outbound path needs for calls to one service. */
export interface CompiledService {
  readonly namespace: string;
  readonly name: string;
  /** Core's precedence table (first match wins), compiled once per config version. */
  readonly table: readonly CompiledEntry[];
  /** Requests no rule matches: the service, all versions, with the service's policy defaults. */
  readonly fallback: CompiledRule;
  readonly readsQuery: boolean;
}

export interface CompiledConfig {
  readonly version: number;
  /** By `namespace/name`. */
  readonly services: ReadonlyMap<string, CompiledService>;
  readonly instanceCount: number;
  readonly policyCount: number;
  /** Mesh-wide settings of this snapshot (access logs, tracing). */
  readonly mesh: MeshSettings;
  /** Core's access semantics for this snapshot's AccessPolicies and Mesh default. */
  readonly access: (req: AccessRequest) => AccessDecision;
}

export interface GroupRegistry {
  group(namespace: string, service: string, version: string | undefined): UpstreamGroup;
}

const NOWHERE = { file: '<control-plane>', line: 0, col: 0 };

function policySetOf(snapshot: ConfigSnapshot): PolicySet {
  return buildPolicySet(snapshot.policies.map((object): LoadedObject => ({ object, source: NOWHERE, positionOf: () => NOWHERE })));
}

/**
 * Compiles a snapshot once: route tables per service (core's precedence), compiled rules, and the
 * upstream groups they point at, reconfigured with this snapshot's policies and instances. Throws
 * on a snapshot it cannot use; the sidecar then keeps its last good config.
 */
export function compileConfig(snapshot: ConfigSnapshot, self: InstanceInfo, registry: GroupRegistry): CompiledConfig {
  const set = policySetOf(snapshot);
  const names = new Map<string, { namespace: string; name: string }>();
  for (const loaded of set.services.values()) {
    const s = loaded.object;
    names.set(`${namespaceOf(s)}/${s.metadata.name}`, { namespace: namespaceOf(s), name: s.metadata.name });
  }
  for (const i of snapshot.instances) names.set(`${i.namespace}/${i.service}`, { namespace: i.namespace, name: i.service });

  const configured = new Set<UpstreamGroup>();
  const services = new Map<string, CompiledService>();
  for (const [key, { namespace, name }] of names) {
    const lookup = (service: string, version: string | undefined) => {
      const group = registry.group(namespace, service, version);
      if (!configured.has(group)) {
        configured.add(group);
        const instances = snapshot.instances.filter(
          (i) => i.namespace === namespace && i.service === service && (version === undefined || i.version === version),
        );
        group.configure(trafficPolicyFor(set, namespace, service, version), instances, self);
      }
      return group;
    };
    const servicePolicy = trafficPolicyFor(set, namespace, name);
    const route = routeFor(set, namespace, name);
    const table = (route ? buildRouteTable(route) : []).map((entry): CompiledEntry => {
      const path = entry.matchIndex === -1 ? undefined : entry.rule.matches?.[entry.matchIndex]?.path;
      return {
        entry,
        rule: compileRule(entry.rule, entry.rule.name ?? `rule-${entry.ruleIndex}`, name, servicePolicy, lookup),
        // A match without a path condition is the prefix `/` (core's table ranks it so).
        matchedPrefix: path === undefined ? '/' : 'prefix' in path ? path.prefix : undefined,
      };
    });
    const readsQuery = table.some((e) => Object.keys(e.entry.rule.matches?.[e.entry.matchIndex]?.queryParams ?? {}).length > 0);
    services.set(key, {
      namespace,
      name,
      table,
      fallback: compileRule(undefined, 'default', name, servicePolicy, lookup),
      readsQuery,
    });
  }
  return {
    version: snapshot.version,
    services,
    instanceCount: snapshot.instances.length,
    policyCount: snapshot.policies.length,
    mesh: snapshot.mesh,
    access: compileAccess(set),
  };
}
