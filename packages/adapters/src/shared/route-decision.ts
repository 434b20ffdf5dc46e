import type { RequestView } from '@anymesh/core';

/** Where a routed request goes: a service and a version (undefined: all its instances), with its share of requests. */
export interface WeightedTarget {
  readonly service: string;
  readonly version: string | undefined;
  /** Share of the rule's requests, 0 < share ≤ 1; shares of a decision sum to 1. */
  readonly share: number;
}

/**
 * What a mesh (or the neutral model) does with one request to a service: forward it (possibly
 * rewritten) to weighted targets, or answer with a redirect. Fidelity tests compare these.
 */
export type RouteDecision =
  | { readonly kind: 'forward'; readonly targets: readonly WeightedTarget[]; readonly path: string; readonly host: string | undefined }
  | { readonly kind: 'redirect'; readonly status: number; readonly path: string | undefined; readonly host: string | undefined };

/** A request addressed to a service of the policy set. */
export interface RoutedRequest {
  readonly namespace: string;
  readonly service: string;
  readonly request: RequestView;
}

/** Shares from relative weights, dropping zero weights (they receive nothing). */
export function sharesOf<T>(items: readonly T[], weightOf: (item: T) => number): { item: T; share: number }[] {
  const total = items.reduce((sum, i) => sum + weightOf(i), 0);
  return items.filter((i) => weightOf(i) > 0).map((item) => ({ item, share: weightOf(item) / total }));
}
