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
  | {
      readonly kind: 'forward';
      readonly targets: readonly WeightedTarget[];
      readonly path: string;
      readonly host: string | undefined;
      /** What happens around forwarding, where an evaluator reads it (absent: not read). */
      readonly effects?: ForwardEffects;
    }
  | {
      readonly kind: 'redirect';
      readonly status: number;
      readonly path: string | undefined;
      readonly host: string | undefined;
      /** Scheme of the Location; undefined: the request's. */
      readonly scheme?: 'http' | 'https' | undefined;
      /** Port of the Location: a number, the request's own, or the Location scheme's well-known port (written without a port). */
      readonly port?: RedirectPort;
      /** Whether the request's query string is carried into the Location. */
      readonly query?: 'kept' | 'dropped';
    };

/** Header changes as a mesh applies them: names as written, `set` replaces, `add` appends. */
export interface HeaderChanges {
  readonly set?: Readonly<Record<string, string>>;
  readonly add?: Readonly<Record<string, string>>;
  readonly remove?: readonly string[];
}

/**
 * Timeout, retries, mirror, fault and header changes of a forward, durations in milliseconds. Retry
 * conditions are sorted names, with retried status codes as their numbers (`['409', 'gateway-error']`).
 * A key an evaluator does not read is absent; a key it reads is present even when its value is undefined.
 */
export interface ForwardEffects {
  /** The request timeout over all attempts; undefined: none. */
  readonly timeoutMs?: number | undefined;
  readonly retries?: { readonly attempts: number; readonly perTryTimeoutMs?: number; readonly on?: readonly string[] };
  readonly headers?: { readonly request: HeaderChanges | undefined; readonly response: HeaderChanges | undefined };
  readonly mirror?: { readonly service: string; readonly version: string | undefined; readonly percent: number };
  readonly fault?: {
    readonly delay?: { readonly fixedMs: number; readonly percent: number };
    readonly abort?: { readonly httpStatus: number; readonly percent: number };
  };
}

/**
 * The port of a redirect's Location. Decisions write the well-known port of the Location's scheme
 * as `scheme-default` whatever the config said, so equal Locations compare equal; a request with no
 * scheme of its own is taken to be plain HTTP (mesh traffic between sidecars is).
 */
export type RedirectPort = number | 'request' | 'scheme-default';

const WELL_KNOWN_PORT = { http: 80, https: 443 } as const;

/** A port as a decision writes it: the scheme's well-known port becomes `scheme-default`. */
export function redirectPort(port: number | 'request' | 'scheme-default', scheme: 'http' | 'https' | undefined): RedirectPort {
  return port === WELL_KNOWN_PORT[scheme ?? 'http'] ? 'scheme-default' : port;
}

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
