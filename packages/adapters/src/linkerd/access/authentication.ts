import { parseSpiffeId, resolveSource, type AccessSource } from '@anymesh/core';
import type { Manifest } from '../../types.js';
import { managedMetadata } from '../../shared/metadata.js';
import type { LinkerdContext } from '../context.js';
import { AUTHZ_VERSION, meshIdentity, namespaceIdentities, POLICY_GROUP } from '../names.js';
import type { PlacedRule } from './rules.js';

export interface AuthnRef {
  readonly group: string;
  readonly kind: 'MeshTLSAuthentication' | 'NetworkAuthentication';
  readonly name: string;
  readonly namespace: string;
}

function identityOf(ctx: LinkerdContext, placed: PlacedRule, source: AccessSource, j: number): string {
  const at = ['spec', 'rules', placed.index, 'from', j];
  const td = ctx.mesh.trustDomain;
  if (source.identity !== undefined) {
    const parsed = parseSpiffeId(source.identity);
    if (parsed && parsed.trustDomain === td) return meshIdentity(td, parsed.namespace, parsed.serviceAccount);
    ctx.gaps.assumption(
      placed.loaded,
      [...at, 'identity'],
      'access.sourceService',
      `the caller's Linkerd certificate carries the SPIFFE ID ${source.identity} (Linkerd accepts spiffe:// identities in MeshTLSAuthentication)`,
    );
    return source.identity;
  }
  const resolved = resolveSource(source, ctx.set, placed.namespace, td);
  if (resolved.serviceAccount === undefined) return namespaceIdentities(td, resolved.namespace ?? placed.namespace);
  if (source.version !== undefined) {
    if (resolved.sharedWith.length > 0) {
      ctx.gaps.unsupported(
        placed.loaded,
        [...at, 'version'],
        'access.sourceVersion',
        `version ${source.version} of ${source.service} runs as service account ${resolved.serviceAccount} like ${resolved.sharedWith.join(', ')}; Linkerd authorizes identities, so this allow also admits those versions`,
      );
    } else {
      ctx.gaps.assumption(
        placed.loaded,
        [...at, 'version'],
        'access.sourceVersion',
        `version ${source.version} of ${source.service} is exactly the workloads running as service account ${resolved.serviceAccount}`,
      );
    }
  }
  return meshIdentity(td, resolved.namespace ?? placed.namespace, resolved.serviceAccount);
}

/**
 * The authentication a rule's sources require, as one object (an AuthorizationPolicy requires ALL
 * its authentication refs, and a rule's sources are an OR: one MeshTLSAuthentication lists them all).
 * No sources means any caller: any mesh identity under strict mTLS, any address otherwise.
 */
export function authenticationFor(ctx: LinkerdContext, placed: PlacedRule): { ref: AuthnRef; manifest: Manifest } {
  const metadata = managedMetadata(placed.name, placed.namespace, [placed.loaded.object]);
  const from = placed.rule.from;
  if (from === undefined && ctx.mesh.mtlsMode !== 'strict') {
    const ref = { group: POLICY_GROUP, kind: 'NetworkAuthentication' as const, name: placed.name, namespace: placed.namespace };
    const spec = { networks: [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }] };
    return { ref, manifest: { apiVersion: AUTHZ_VERSION, kind: 'NetworkAuthentication', metadata, spec } };
  }
  const identities = from === undefined ? ['*'] : [...new Set(from.map((s, j) => identityOf(ctx, placed, s, j)))].sort();
  const ref = { group: POLICY_GROUP, kind: 'MeshTLSAuthentication' as const, name: placed.name, namespace: placed.namespace };
  return { ref, manifest: { apiVersion: AUTHZ_VERSION, kind: 'MeshTLSAuthentication', metadata, spec: { identities } } };
}
