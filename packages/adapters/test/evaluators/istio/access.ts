import type { AccessRequest } from '@anymesh/core';
import type { Manifest } from '../../../src/index.js';
import { namespaceOfObject, type AppliedState } from '../applied-state.js';
import { endpointsOf, selects } from '../workloads.js';

type Source = { principals?: string[]; notPrincipals?: string[]; namespaces?: string[]; notNamespaces?: string[] };
type Operation = { ports?: string[]; methods?: string[]; paths?: string[]; notPaths?: string[]; notMethods?: string[] };
type Rule = { from?: { source: Source }[]; to?: { operation: Operation }[] };
type Policy = { selector?: { matchLabels?: Record<string, string> }; action?: string; rules?: Rule[] };

/** Istio's root namespace (default install): a policy there without a selector applies mesh-wide. */
const ROOT_NAMESPACE = 'istio-system';

/** Istio string matching for principals, namespaces and paths: exact, `prefix*`, `*suffix`, or `*` (any non-empty value). */
function glob(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

/** The peer as Istio's RBAC filter sees it: principal = SPIFFE ID without `spiffe://`; namespace from its `/ns/<ns>/` segment. */
function peerOf(identity: string | undefined): { principal: string; namespace: string } {
  if (identity === undefined) return { principal: '', namespace: '' };
  const principal = identity.replace(/^spiffe:\/\//, '');
  return { principal, namespace: /\/ns\/([^/]+)\//.exec(principal)?.[1] ?? '' };
}

const any = (patterns: readonly string[] | undefined, value: string) => patterns?.some((p) => glob(p, value));

function sourceMatches(s: Source, req: AccessRequest): boolean {
  const peer = peerOf(req.identity);
  if (s.principals && !any(s.principals, peer.principal)) return false;
  if (s.notPrincipals && any(s.notPrincipals, peer.principal)) return false;
  if (s.namespaces && !any(s.namespaces, peer.namespace)) return false;
  return !(s.notNamespaces && any(s.notNamespaces, peer.namespace));
}

function operationMatches(o: Operation, req: AccessRequest, podPort: number): boolean {
  if (o.ports && !o.ports.includes(String(podPort))) return false;
  if (o.methods && !o.methods.includes(req.method)) return false;
  if (o.notMethods?.includes(req.method)) return false;
  if (o.paths && !any(o.paths, req.path)) return false;
  return !(o.notPaths && any(o.notPaths, req.path));
}

/** A rule matches when one of its `from` and one of its `to` match (absent: anything); a policy without rules matches nothing. */
function policyMatches(p: Policy, req: AccessRequest, podPort: number): boolean {
  return (p.rules ?? []).some(
    (r) =>
      (r.from === undefined || r.from.some((f) => sourceMatches(f.source, req))) &&
      (r.to === undefined || r.to.some((t) => operationMatches(t.operation, req, podPort))),
  );
}

/** Policies that apply to a pod: its namespace's, selector matching the pod's labels (none: all pods), plus the root namespace's selector-less ones. */
function policiesFor(state: AppliedState, pod: Manifest): Policy[] {
  return state
    .list('AuthorizationPolicy', { group: 'security.istio.io' })
    .filter((m) => {
      const ns = namespaceOfObject(m);
      const selector = (m.spec as Policy).selector?.matchLabels;
      if (ns === ROOT_NAMESPACE && ns !== namespaceOfObject(pod)) return selector === undefined;
      return ns === namespaceOfObject(pod) && selects(selector, pod.metadata.labels);
    })
    .map((m) => m.spec as Policy);
}

/** Istio on one pod: any matching DENY denies; else, when ALLOW policies apply, one must match; else allowed. AUDIT never decides. */
function podAllows(state: AppliedState, pod: Manifest, req: AccessRequest, podPort: number): boolean {
  const policies = policiesFor(state, pod);
  if (policies.some((p) => p.action === 'DENY' && policyMatches(p, req, podPort))) return false;
  const allow = policies.filter((p) => (p.action ?? 'ALLOW') === 'ALLOW');
  return allow.length === 0 || allow.some((p) => policyMatches(p, req, podPort));
}

/**
 * Istio's decision for a call to a Kubernetes service: the call reaches one of the service's pods
 * (on the target port of the service port called), and that pod's sidecar decides. Every pod must
 * decide alike, since any of them may receive the call; pods that disagree are reported as an error.
 */
export function evaluateIstioAccess(state: AppliedState, req: AccessRequest): boolean {
  const svc = state.get('Service', req.namespace, req.service, '');
  const ports = (svc?.spec as { ports?: { port: number; targetPort?: number }[] } | undefined)?.ports ?? [];
  const podPort = ports.find((p) => p.port === req.port)?.targetPort ?? req.port;
  const pods = endpointsOf(state, req.namespace, req.service);
  if (pods.length === 0) throw new Error(`service ${req.namespace}/${req.service} has no pods in the applied state`);
  const verdicts = new Set(pods.map((pod) => podAllows(state, pod, req, podPort)));
  if (verdicts.size > 1) throw new Error(`pods of ${req.namespace}/${req.service} decide differently on ${JSON.stringify(req)}`);
  return [...verdicts][0]!;
}

/**
 * Whether Istio marks a call for auditing: an AUDIT policy applying to the pods matches it (AUDIT
 * decides nothing; an audit-capable provider records the marked requests).
 */
export function istioAudits(state: AppliedState, req: AccessRequest): boolean {
  const svc = state.get('Service', req.namespace, req.service, '');
  const ports = (svc?.spec as { ports?: { port: number; targetPort?: number }[] } | undefined)?.ports ?? [];
  const podPort = ports.find((p) => p.port === req.port)?.targetPort ?? req.port;
  const verdicts = new Set(
    endpointsOf(state, req.namespace, req.service).map((pod) =>
      policiesFor(state, pod).some((p) => p.action === 'AUDIT' && policyMatches(p, req, podPort)),
    ),
  );
  if (verdicts.size !== 1) throw new Error(`pods of ${req.namespace}/${req.service} audit differently (or none exist)`);
  return [...verdicts][0]!;
}
