import { istioAdapter } from './istio/index.js';
import { consulAdapter } from './consul/index.js';
import { linkerdAdapter } from './linkerd/index.js';
import type { Adapter } from './types.js';

/** Every adapter anymesh ships, one line each. The CLI, the dashboard and the conformance suite iterate this list. */
export const ADAPTERS: readonly Adapter[] = [istioAdapter, consulAdapter, linkerdAdapter];

export function adapterFor(mesh: string): Adapter | undefined {
  return ADAPTERS.find((a) => a.name === mesh);
}
