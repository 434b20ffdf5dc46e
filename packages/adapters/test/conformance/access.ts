import { expect } from 'vitest';
import {
  compileAccess,
  findService,
  meshSettings,
  serviceAccountOf,
  spiffeId,
  type AccessRequest,
  type FeatureName,
  type PolicySet,
} from '@anymesh/core';
import type { Adapter, MeshName, Translation } from '../../src/index.js';
import {
  evaluateConsulIntentions,
  evaluateIstioAccess,
  istioAudits,
  linkerdAllows,
  linkerdAudits,
  meshState,
  type AppliedState,
} from '../evaluators/index.js';
import type { AccessCall, AccessExpectation, AuditExpectation } from './case.js';

/** Whether a mesh lets a call through, read from the applied state by that mesh's access evaluator. */
type MeshAccess = (state: AppliedState, set: PolicySet, call: AccessCall, request: AccessRequest) => boolean;

const ACCESS_EVALUATORS: Record<MeshName, MeshAccess> = {
  istio: (state, _set, _call, request) => evaluateIstioAccess(state, request),
  linkerd: (state, set, _call, request) => linkerdAllows(state, request, meshSettings(set.mesh?.object).trustDomain),
  // Consul authorizes by source service name; the translation must not depend on the cluster's ACL default.
  consul: (state, _set, call, request) => {
    const consulCall = {
      sourceService: call.from.service,
      sourceNamespace: call.from.namespace ?? 'shop',
      namespace: request.namespace,
      service: request.service,
      method: request.method,
      path: request.path,
    };
    const underAllow = evaluateConsulIntentions(state, consulCall, 'allow');
    const underDeny = evaluateConsulIntentions(state, consulCall, 'deny');
    expect(underAllow, `Consul's answer does not depend on the ACL default for ${JSON.stringify(call)}`).toBe(underDeny);
    return underAllow;
  },
};

/** The request a call makes to `web` port 8080: the caller's verified identity is its (version's) service account. */
export function accessRequestOf(set: PolicySet, call: AccessCall): AccessRequest {
  const namespace = call.from.namespace ?? 'shop';
  const svc = findService(set, namespace, call.from.service);
  const account = svc ? serviceAccountOf(svc, call.from.version) : call.from.service;
  const identity = spiffeId(meshSettings(set.mesh?.object).trustDomain, namespace, account);
  return { identity, namespace: 'shop', service: 'web', port: 8080, method: call.method ?? 'GET', path: call.path };
}

/**
 * Asserts the case's access expectations: first that they are the neutral model's (core's
 * compileAccess), then through the adapter's access evaluator of its translation. A difference is
 * allowed only where the adapter reported the case's feature unsupported or approximated.
 */
export function expectAccess(
  translation: Translation,
  adapter: Adapter,
  set: PolicySet,
  features: readonly FeatureName[],
  cases: readonly AccessExpectation[],
): void {
  const neutral = compileAccess(set);
  const reported = translation.diagnostics.some(
    (d) => (d.code === 'AM4001' || d.code === 'AM4002') && d.feature !== undefined && features.includes(d.feature),
  );
  const state = meshState(set, translation.manifests);
  for (const [call, want] of cases) {
    const request = accessRequestOf(set, call);
    const label = JSON.stringify(call);
    expect(neutral(request).allowed ? 'allow' : 'deny', `the neutral model's answer for ${label}`).toBe(want);
    const got = ACCESS_EVALUATORS[adapter.name](state, set, call, request) ? 'allow' : 'deny';
    if (got !== want && reported) continue;
    expect(got, `${adapter.name} for ${label}`).toBe(want);
  }
}

/** Whether a mesh marks a call for audit (a dry-run decision recorded, not enforced); Consul intentions have no dry run. */
const AUDIT_EVALUATORS: Record<MeshName, (state: AppliedState, request: AccessRequest) => boolean> = {
  istio: istioAudits,
  linkerd: linkerdAudits,
  consul: () => false,
};

/** Asserts, through the adapter's audit evaluator, which calls the mesh audits. */
export function expectAudit(translation: Translation, adapter: Adapter, set: PolicySet, cases: readonly AuditExpectation[]): void {
  const state = meshState(set, translation.manifests);
  for (const [call, audited] of cases) {
    const got = AUDIT_EVALUATORS[adapter.name](state, accessRequestOf(set, call));
    expect(got, `${adapter.name} audits ${JSON.stringify(call)}`).toBe(audited);
  }
}
