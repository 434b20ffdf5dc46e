import type { Adapter } from '../types.js';
import { LINKERD_CAPABILITIES } from './capabilities.js';
import { translateLinkerd } from './translate.js';

export { LINKERD_CAPABILITIES } from './capabilities.js';
export { translateLinkerd } from './translate.js';

/** Linkerd: GAMMA HTTPRoutes for routing, Linkerd's policy CRDs for access, annotations for resilience. */
export const linkerdAdapter: Adapter = {
  name: 'linkerd',
  displayName: 'Linkerd',
  capabilities: LINKERD_CAPABILITIES,
  translate: translateLinkerd,
};
