import { findService, selectorOf, type AccessRequest, type PolicySet } from '@anymesh/core';
import type { Manifest } from '../types.js';

type Source = { principals?: string[]; namespaces?: string[] };
type Operation = { ports?: string[]; methods?: string[]; paths?: string[] };
type Rule = { from?: { source: Source }[]; to?: { operation: Operation }[] };
type Policy = { selector?: { matchLabels: Record<string, string> }; action?: string; rules?: Rule[] };

/** Istio string matching for principals, namespaces and paths: exact, `prefix*`, `*suffix`, or `*`. */
function glob(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

function principalOf(identity: string | undefined): { principal: string; namespace: string } {
  if (identity === undefined) return { principal: '', namespace: '' };
  const principal = identity.replace(/^spiffe:\/\//, '');
  return { principal, namespace: /\/ns\/([^/]+)\//.exec(principal)?.[1] ?? '' };
}

function ruleMatches(rule: Rule, req: AccessRequest): boolean {
  const peer = principalOf(req.identity);
  const fromOk =
    rule.from === undefined ||
    rule.from.some(
      ({ source: s }) =>
        (s.principals === undefined || s.principals.some((p) => glob(p, peer.principal))) &&
        (s.namespaces === undefined || s.namespaces.some((n) => glob(n, peer.namespace))),
    );
  const toOk =
    rule.to === undefined ||
    rule.to.some(
      ({ operation: o }) =>
        (o.ports === undefined || o.ports.includes(String(req.port))) &&
        (o.methods === undefined || o.methods.includes(req.method)) &&
        (o.paths === undefined || o.paths.some((p) => glob(p, req.path))),
    );
  return fromOk && toOk;
}

/**
 * Istio's authorization model on our output, for a workload of the requested service: DENY policies
 * first (any match denies); then, if any ALLOW policy selects the workload, allowed only when one of
 * them matches (an ALLOW policy without rules matches nothing); otherwise allowed. AUDIT never decides.
 */
export function evaluateIstioAccess(set: PolicySet) {
  return (manifests: readonly Manifest[], req: AccessRequest): boolean => {
    const service = findService(set, req.namespace, req.service);
    const labels = service ? selectorOf(service) : { app: req.service };
    const applies = manifests.filter((m) => {
      if (m.kind !== 'AuthorizationPolicy' || m.metadata.namespace !== req.namespace) return false;
      const sel = (m.spec as Policy).selector?.matchLabels;
      return sel === undefined || Object.entries(sel).every(([k, v]) => labels[k] === v);
    });
    const policies = applies.map((m) => m.spec as Policy);
    const matches = (p: Policy) => (p.rules ?? []).some((r) => ruleMatches(r, req));
    if (policies.some((p) => p.action === 'DENY' && matches(p))) return false;
    const allow = policies.filter((p) => (p.action ?? 'ALLOW') === 'ALLOW');
    return allow.length === 0 || allow.some(matches);
  };
}
