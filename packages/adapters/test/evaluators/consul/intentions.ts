import type { IntentionHttpSpec, IntentionSourceSpec, ServiceIntentionsSpec } from '../../../src/consul/consul-types.js';
import { namespaceOfObject, type AppliedState } from '../applied-state.js';

/** A call as Consul sees it: the caller is a service name (from its certificate), not a service account. */
export interface ConsulCall {
  readonly sourceService: string;
  readonly sourceNamespace: string;
  readonly namespace: string;
  readonly service: string;
  readonly method: string;
  readonly path: string;
}

interface Candidate {
  readonly source: IntentionSourceSpec;
  readonly precedence: number;
}

function httpMatches(http: IntentionHttpSpec, call: ConsulCall): boolean {
  if (http.methods !== undefined && !http.methods.includes(call.method)) return false;
  if (http.pathExact !== undefined && call.path !== http.pathExact) return false;
  if (http.pathPrefix !== undefined && !call.path.startsWith(http.pathPrefix)) return false;
  return true;
}

/**
 * Consul's intention precedence: an exact destination beats `*`; within it an exact source name
 * beats a namespace wildcard (`*` with a namespace), which beats `*`. A source without a namespace
 * is in the destination's namespace for a named source and any namespace for `*` (one namespace,
 * as in Consul CE).
 */
function sourcePrecedence(source: IntentionSourceSpec, call: ConsulCall, intentionNs: string): number | undefined {
  if (source.name !== '*') {
    const ns = source.namespace ?? intentionNs;
    return source.name === call.sourceService && ns === call.sourceNamespace ? 3 : undefined;
  }
  if (source.namespace !== undefined && source.namespace !== '*') return source.namespace === call.sourceNamespace ? 2 : undefined;
  return 1;
}

/**
 * Whether Consul authorizes a call: the single most precedent matching source decides, by its
 * action or by its first matching permission; nothing matching leaves the ACL default policy.
 */
export function evaluateConsulIntentions(state: AppliedState, call: ConsulCall, aclDefault: 'allow' | 'deny'): boolean {
  const candidates: Candidate[] = [];
  for (const m of state.list('ServiceIntentions', { group: 'consul.hashicorp.com' })) {
    const spec = m.spec as ServiceIntentionsSpec;
    const ns = namespaceOfObject(m);
    const exactDestination = spec.destination.name === call.service && ns === call.namespace;
    if (!exactDestination && spec.destination.name !== '*') continue;
    for (const source of spec.sources) {
      const p = sourcePrecedence(source, call, ns);
      if (p !== undefined) candidates.push({ source, precedence: (exactDestination ? 10 : 0) + p });
    }
  }
  const winner = candidates.sort((a, b) => b.precedence - a.precedence)[0]?.source;
  if (winner === undefined) return aclDefault === 'allow';
  if (winner.action !== undefined) return winner.action === 'allow';
  const permission = winner.permissions?.find((p) => httpMatches(p.http, call));
  return permission === undefined ? aclDefault === 'allow' : permission.action === 'allow';
}
