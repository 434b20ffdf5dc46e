import type { Adapter } from '../types.js';
import { consulCapabilities } from './capabilities.js';
import { translateConsul } from './translate.js';

export { translateConsul } from './translate.js';
export { consulCapabilities } from './capabilities.js';
export { percentShares } from './split-percent.js';

/** The Consul adapter: consul-k8s config entries (consul.hashicorp.com/v1alpha1). */
export const consulAdapter: Adapter = {
  name: 'consul',
  displayName: 'Consul',
  capabilities: consulCapabilities,
  translate: translateConsul,
};
