import type { AccessRequest } from '@anymesh/core';
import type { Manifest } from '../../../src/index.js';
import { namespaceOfObject, type AppliedState } from '../applied-state.js';
import { endpointsOf, selects } from '../workloads.js';
import { outranks, ruleRank, type HttpRouteMatch, type Rank } from './match.js';

type Ref = { group?: string; kind: string; name: string };
type ContainerPort = { containerPort: number; name?: string };

/**
 * The Linkerd identity of a SPIFFE caller of our trust domain, as the identity controller names a
 * proxy's certificate: `<serviceaccount>.<namespace>.serviceaccount.identity.linkerd.<trustDomain>`.
 * A caller of another trust domain keeps its SPIFFE ID (MeshTLSAuthentication accepts those too).
 */
function linkerdIdentity(identity: string | undefined, trustDomain: string): string | undefined {
  const m = identity === undefined ? null : /^spiffe:\/\/([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(identity);
  if (m === null || m[1] !== trustDomain) return identity;
  return `${m[3]}.${m[2]}.serviceaccount.identity.linkerd.${trustDomain}`;
}

/** A Server selects a pod by podSelector.matchLabels and a port by number or container-port name. */
function serverFor(state: AppliedState, pod: Manifest, port: ContainerPort): Manifest | undefined {
  return state.list('Server', { group: 'policy.linkerd.io', namespace: namespaceOfObject(pod) }).find((s) => {
    const spec = s.spec as { podSelector?: { matchLabels?: Record<string, string> }; port: number | string };
    const portOk = typeof spec.port === 'number' ? spec.port === port.containerPort : spec.port === port.name;
    return portOk && spec.podSelector !== undefined && selects(spec.podSelector.matchLabels, pod.metadata.labels);
  });
}

/** The inbound route a request selects among the policy.linkerd.io HTTPRoutes attached to the Server (proxy ranking, first wins ties). */
function selectedRoute(state: AppliedState, server: Manifest, req: AccessRequest): Manifest | undefined | 'none-matched' {
  const routes = state
    .list('HTTPRoute', { group: 'policy.linkerd.io', namespace: namespaceOfObject(server) })
    .filter((r) =>
      ((r.spec as { parentRefs?: { kind?: string; name: string }[] }).parentRefs ?? []).some(
        (p) => p.kind === 'Server' && p.name === server.metadata.name,
      ),
    )
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  if (routes.length === 0) return undefined;
  const view = { method: req.method, path: req.path, headers: {}, query: {} };
  let best: { rank: Rank; route: Manifest } | undefined;
  for (const route of routes)
    for (const rule of (route.spec as { rules?: { matches?: HttpRouteMatch[] }[] }).rules ?? []) {
      const ranked = ruleRank(rule.matches, view);
      if (ranked && (best === undefined || outranks(ranked.rank, best.rank))) best = { rank: ranked.rank, route };
    }
  return best?.route ?? 'none-matched';
}

function authenticated(state: AppliedState, namespace: string, ref: Ref, caller: string | undefined, spiffe: string | undefined): boolean {
  const authn = state.get(ref.kind, namespace, ref.name, 'policy.linkerd.io');
  if (authn === undefined) return false;
  if (ref.kind === 'NetworkAuthentication') return true;
  if (caller === undefined) return false;
  const ids = (authn.spec as { identities?: string[] }).identities ?? [];
  return ids.some((id) => id === '*' || id === caller || id === spiffe || (id.startsWith('*.') && caller.endsWith(id.slice(1))));
}

function podAllows(state: AppliedState, pod: Manifest, port: ContainerPort, req: AccessRequest, trustDomain: string): boolean {
  const server = serverFor(state, pod, port);
  // No Server: the cluster default inbound policy, all-unauthenticated in Linkerd's default install.
  if (server === undefined) return true;
  const access = (server.spec as { accessPolicy?: string }).accessPolicy ?? 'deny';
  if (access === 'all-unauthenticated') return true;
  if (access === 'all-authenticated') return req.identity !== undefined;
  const route = selectedRoute(state, server, req);
  if (route === 'none-matched') return false;
  const target = route ?? server;
  const ns = namespaceOfObject(server);
  const caller = linkerdIdentity(req.identity, trustDomain);
  return state
    .list('AuthorizationPolicy', { group: 'policy.linkerd.io', namespace: ns })
    .map((m) => m.spec as { targetRef: Ref; requiredAuthenticationRefs?: Ref[] })
    .filter((s) => s.targetRef.kind === target.kind && s.targetRef.name === target.metadata.name)
    .some((s) => (s.requiredAuthenticationRefs ?? []).every((ref) => authenticated(state, ns, ref, caller, req.identity)));
}

/**
 * Linkerd's inbound decision for a call to a Kubernetes service port: the call lands on one of the
 * service's pods, on the Service port's target port; the Server selecting that pod and port decides
 * by its accessPolicy or, with `deny`, by AuthorizationPolicies on the one inbound route the request
 * selects (routes attached but none matching: 404) or on the Server. Every pod must decide alike.
 */
export function linkerdAllows(state: AppliedState, req: AccessRequest, trustDomain: string): boolean {
  const svc = state.get('Service', req.namespace, req.service, '');
  const svcPort = ((svc?.spec as { ports?: { port: number; targetPort?: number }[] } | undefined)?.ports ?? []).find(
    (p) => p.port === req.port,
  );
  const targetPort = svcPort?.targetPort ?? req.port;
  const pods = endpointsOf(state, req.namespace, req.service);
  if (pods.length === 0) throw new Error(`service ${req.namespace}/${req.service} has no pods in the applied state`);
  const verdicts = new Set(
    pods.map((pod) => {
      const containers = (pod.spec as { containers?: { ports?: ContainerPort[] }[] }).containers ?? [];
      const port = containers.flatMap((c) => c.ports ?? []).find((p) => p.containerPort === targetPort) ?? { containerPort: targetPort };
      return podAllows(state, pod, port, req, trustDomain);
    }),
  );
  if (verdicts.size > 1) throw new Error(`pods of ${req.namespace}/${req.service} decide differently on ${JSON.stringify(req)}`);
  return [...verdicts][0]!;
}

/**
 * Whether Linkerd audits a call: only a whole Server in `accessPolicy: audit` does (every request
 * is allowed and its would-be decision recorded); Linkerd has no per-route dry run.
 */
export function linkerdAudits(state: AppliedState, req: AccessRequest): boolean {
  const pods = endpointsOf(state, req.namespace, req.service);
  return pods.some(
    (pod) => (serverFor(state, pod, { containerPort: req.port })?.spec as { accessPolicy?: string })?.accessPolicy === 'audit',
  );
}
