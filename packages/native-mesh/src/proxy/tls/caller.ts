import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { parseSpiffeId } from '@anymesh/core';
import { verifiedPeerIdentity } from '../../identity/index.js';
import type { InstanceInfo } from '../../protocol/types.js';

/** Who the caller is, as the inbound side can establish it. */
export interface Caller {
  readonly service: string;
  readonly version: string;
  readonly identity: string | undefined;
  readonly mtls: boolean;
}

/** The services and versions whose instances carry each identity, from a config snapshot. */
export type IdentityIndex = ReadonlyMap<string, readonly { readonly service: string; readonly version: string }[]>;

export function indexIdentities(instances: readonly InstanceInfo[]): IdentityIndex {
  const index = new Map<string, { service: string; version: string }[]>();
  for (const i of instances) {
    const list = index.get(i.identity) ?? [];
    if (!list.some((e) => e.service === i.service && e.version === (i.version ?? '')))
      list.push({ service: i.service, version: i.version ?? '' });
    index.set(i.identity, list);
  }
  return index;
}

const UNKNOWN = 'unknown';

/**
 * The caller of an inbound request. Over mTLS the identity is the verified certificate's SPIFFE
 * ID and the service is the one whose instances carry that identity: the `x-anymesh-source-*`
 * headers are believed only when they name a service/version with that identity, so a caller
 * cannot pass itself off as another service. Over plaintext the headers are all there is
 * (unverified, for metrics only) and the identity is undefined.
 */
export function callerOf(
  req: IncomingMessage,
  headerService: string | undefined,
  headerVersion: string | undefined,
  identities: IdentityIndex,
): Caller {
  const socket = req.socket;
  if (!(socket instanceof TLSSocket))
    return { service: headerService ?? UNKNOWN, version: headerVersion ?? '', identity: undefined, mtls: false };
  const identity = verifiedPeerIdentity(socket);
  if (identity === undefined) return { service: UNKNOWN, version: '', identity, mtls: true };
  const known = identities.get(identity) ?? [];
  const claimed = known.find((e) => e.service === headerService && e.version === (headerVersion ?? ''));
  if (claimed) return { ...claimed, identity, mtls: true };
  const first = known[0];
  if (first) {
    const oneVersion = known.every((e) => e.service === first.service && e.version === first.version);
    return { service: first.service, version: oneVersion ? first.version : '', identity, mtls: true };
  }
  // An identity with no registered instance (yet): its service account is the best name there is.
  return { service: parseSpiffeId(identity)?.serviceAccount ?? UNKNOWN, version: '', identity, mtls: true };
}
