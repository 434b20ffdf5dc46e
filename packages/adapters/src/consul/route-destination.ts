import { DEFAULTS, type FieldPath, type HeaderModifier, type LoadedObject, type Retry, type RetryOn } from '@anymesh/core';
import type { ConsulContext } from './context.js';
import type { HeaderModifierSpec, RouteDestinationSpec } from './consul-types.js';

/**
 * A neutral request timeout of "none". Consul reads 0 as "unset" (15s default); a negative value
 * disables the route timeout (Consul 1.18+; older Consul keeps Envoy's 15s), see docs/adapters/consul.md.
 */
export const NO_TIMEOUT = '-1s';

const RETRY_ON: Record<Exclude<RetryOn, 'connect-failure' | 'retriable-status-codes'>, string> = {
  '5xx': '5xx',
  'gateway-error': 'gateway-error',
  reset: 'reset',
  'refused-stream': 'refused-stream',
};

/** Consul retry fields for a neutral retry policy; perTryTimeout and backoff have no Consul field. */
export function retryFields(ctx: ConsulContext, loaded: LoadedObject, path: FieldPath, retry: Retry | undefined): RouteDestinationSpec {
  if (retry === undefined || retry.attempts === 0) return {};
  if (retry.perTryTimeout !== undefined) {
    ctx.gaps.unsupported(
      loaded,
      [...path, 'perTryTimeout'],
      'timeout.perTry',
      'Consul routes have no per-try timeout; only the request timeout bounds the attempts',
    );
  }
  if (retry.backoff !== undefined) {
    ctx.gaps.unsupported(
      loaded,
      [...path, 'backoff'],
      'retry.backoff',
      "Consul has no backoff setting; Envoy's default (25ms base, exponential) applies",
    );
  }
  const on = retry.on ?? DEFAULTS.retryOn;
  const spec: RouteDestinationSpec = { numRetries: retry.attempts };
  const retryOn = on.flatMap((c) => (c === 'connect-failure' || c === 'retriable-status-codes' ? [] : [RETRY_ON[c]]));
  if (retryOn.length > 0) spec.retryOn = retryOn;
  if (on.includes('connect-failure')) spec.retryOnConnectFailure = true;
  if (on.includes('retriable-status-codes') && retry.statusCodes && retry.statusCodes.length > 0) {
    spec.retryOnStatusCodes = [...retry.statusCodes];
  }
  return spec;
}

export function headerModifier(m: HeaderModifier | undefined): HeaderModifierSpec | undefined {
  if (m === undefined) return undefined;
  const spec: HeaderModifierSpec = {};
  if (m.add) spec.add = { ...m.add };
  if (m.set) spec.set = { ...m.set };
  if (m.remove) spec.remove = [...m.remove];
  return spec;
}
