import { managedMetadata } from '../../shared/metadata.js';
import { OBJECT_NAME_MAX } from '../../shared/names.js';
import type { LinkerdContext } from '../context.js';
import { AUTHZ_VERSION, NAME_SPACES, POLICY_GROUP } from '../names.js';
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
  // `<target>-<rule>` can be read two ways (Server a-80 + rule route-0-x, HTTPRoute a-80-route-0 + rule x).
  const owner = `${target.kind}/${target.name}/${placed.owner}`;
  const name = ctx.names.claim(NAME_SPACES.authorization, namespace, `${target.name}-${placed.name}`, owner, OBJECT_NAME_MAX);
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
