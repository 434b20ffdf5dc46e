import type { AccessSource, Service } from '../model/generated.js';
import { serviceAccountOf } from '../model/defaults.js';
import { findService, type PolicySet } from '../model/policy-set.js';

/** `spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>` */
export function spiffeId(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/** Parses a SPIFFE ID of the Kubernetes form; undefined for any other form. */
export function parseSpiffeId(id: string): { trustDomain: string; namespace: string; serviceAccount: string } | undefined {
  const m = /^spiffe:\/\/([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(id);
  return m ? { trustDomain: m[1]!, namespace: m[2]!, serviceAccount: m[3]! } : undefined;
}

/**
 * What an access-rule source means in terms of verified identities.
 * - `exact`: SPIFFE IDs that match; `namespacePrefix`: any identity in that namespace.
 * - `sharedWith`: when the source names a version that has no service account of its own, the
 *   other versions that carry the same identity: identity-based enforcement cannot tell them apart.
 */
export interface ResolvedSource {
  readonly exact?: string;
  readonly namespacePrefix?: string;
  readonly serviceAccount?: string;
  readonly namespace?: string;
  readonly sharedWith: readonly string[];
}

export function resolveSource(source: AccessSource, set: PolicySet, policyNamespace: string, trustDomain: string): ResolvedSource {
  if (source.identity !== undefined) return { exact: source.identity, sharedWith: [] };
  const namespace = source.namespace ?? policyNamespace;
  if (source.service === undefined) {
    return { namespacePrefix: `spiffe://${trustDomain}/ns/${namespace}/`, namespace, sharedWith: [] };
  }
  const service = findService(set, namespace, source.service);
  const sa = service ? serviceAccountOf(service, source.version) : source.service;
  return {
    exact: spiffeId(trustDomain, namespace, sa),
    serviceAccount: sa,
    namespace,
    sharedWith: service && source.version ? versionsSharing(service, source.version, sa) : [],
  };
}

function versionsSharing(service: Service, version: string, sa: string): string[] {
  return Object.keys(service.spec.versions ?? {}).filter((v) => v !== version && serviceAccountOf(service, v) === sa);
}

export function sourceMatches(resolved: ResolvedSource, identity: string | undefined): boolean {
  if (identity === undefined) return false;
  if (resolved.exact !== undefined) return identity === resolved.exact;
  return resolved.namespacePrefix !== undefined && identity.startsWith(resolved.namespacePrefix);
}
