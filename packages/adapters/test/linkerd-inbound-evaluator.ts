import { parseSpiffeId, type AccessRequest } from '@anymesh/core';
import type { Manifest } from '../src/index.js';
import type { GatewayMatch } from '../src/linkerd/http-match.js';
import { compareSummaries, compileLinkerdMatch, type LinkerdSummary } from '../src/linkerd/linkerd-match.js';
import { meshIdentity } from '../src/linkerd/names.js';

/**
 * Linkerd's inbound authorization of our output, per its documented semantics: the Server of the
 * port decides by `accessPolicy`; with `deny`, an AuthorizationPolicy must admit the caller, on the
 * one inbound route the request selects when routes are attached (none matching: 404), else on the
 * Server. No Server: the cluster default, assumed all-unauthenticated (Linkerd's install default).
 */
export function linkerdAllows(manifests: readonly Manifest[], req: AccessRequest, trustDomain: string): boolean {
  const inNs = manifests.filter((m) => m.metadata.namespace === req.namespace);
  const server = inNs.find((m) => m.kind === 'Server' && m.metadata.name === `${req.service}-${req.port}`);
  if (!server) return true;
  const access = (server.spec as { accessPolicy: string }).accessPolicy;
  if (access === 'all-unauthenticated') return true;
  if (access === 'all-authenticated') return req.identity !== undefined;
  const routes = inNs
    .filter((m) => m.apiVersion.startsWith('policy.linkerd.io') && m.kind === 'HTTPRoute')
    .filter((m) => (m.spec as { parentRefs: { name: string }[] }).parentRefs.some((p) => p.name === server.metadata.name))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  let target = { kind: 'Server', name: server.metadata.name };
  if (routes.length > 0) {
    let best: { summary: LinkerdSummary; name: string } | undefined;
    const view = { method: req.method, path: req.path, headers: {}, query: {} };
    for (const r of routes) {
      for (const rule of (r.spec as { rules: { matches: GatewayMatch[] }[] }).rules) {
        for (const m of rule.matches) {
          const s = compileLinkerdMatch(m).summarize(view);
          if (s && (!best || compareSummaries(s, best.summary) > 0)) best = { summary: s, name: r.metadata.name };
        }
      }
    }
    if (!best) return false;
    target = { kind: 'HTTPRoute', name: best.name };
  }
  const dns = (() => {
    const p = req.identity ? parseSpiffeId(req.identity) : undefined;
    return p && p.trustDomain === trustDomain ? meshIdentity(trustDomain, p.namespace, p.serviceAccount) : req.identity;
  })();
  const satisfied = (ref: { kind: string; name: string }): boolean => {
    const authn = inNs.find((m) => m.kind === ref.kind && m.metadata.name === ref.name);
    if (!authn) return false;
    if (ref.kind === 'NetworkAuthentication') return true;
    if (dns === undefined) return false;
    return (authn.spec as { identities: string[] }).identities.some(
      (id) => id === '*' || id === dns || id === req.identity || (id.startsWith('*.') && dns.endsWith(id.slice(1))),
    );
  };
  return inNs
    .filter((m) => m.kind === 'AuthorizationPolicy')
    .map((m) => m.spec as { targetRef: { kind: string; name: string }; requiredAuthenticationRefs: { kind: string; name: string }[] })
    .filter((s) => s.targetRef.kind === target.kind && s.targetRef.name === target.name)
    .some((s) => s.requiredAuthenticationRefs.every(satisfied));
}
