import { managedMetadata } from '../../shared/metadata.js';
import type { LinkerdContext } from '../context.js';
import { AUTHZ_VERSION, POLICY_GROUP } from '../names.js';
import type { AuthnRef } from './authentication.js';
import type { PlacedRule } from './rules.js';

/** An AuthorizationPolicy admitting one rule's callers to a Server or an inbound HTTPRoute. */
export function emitAuthorization(
  ctx: LinkerdContext,
  target: { kind: 'Server' | 'HTTPRoute'; name: string },
  namespace: string,
  placed: PlacedRule,
  authn: AuthnRef,
): void {
  const name = `${target.name}-${placed.name}`;
  ctx.manifests.push({
    apiVersion: AUTHZ_VERSION,
    kind: 'AuthorizationPolicy',
    metadata: managedMetadata(name, namespace, [placed.loaded.object]),
    spec: {
      targetRef: { group: POLICY_GROUP, kind: target.kind, name: target.name },
      requiredAuthenticationRefs: [{ group: authn.group, kind: authn.kind, name: authn.name }],
    },
  });
}
