import type { Adapter } from '../types.js';
import { ISTIO_CAPABILITIES } from './capabilities.js';
import { translateIstio } from './translate.js';

export { ISTIO_CAPABILITIES } from './capabilities.js';

/** Istio: VirtualService, DestinationRule, AuthorizationPolicy, PeerAuthentication, Telemetry. */
export const istioAdapter: Adapter = {
  name: 'istio',
  displayName: 'Istio',
  capabilities: ISTIO_CAPABILITIES,
  translate: translateIstio,
};
