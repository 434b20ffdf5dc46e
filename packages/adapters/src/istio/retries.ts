import { DEFAULTS, type FieldPath, type LoadedObject, type Retry } from '@anymesh/core';
import type { GapReporter } from '../shared/gaps.js';

export interface IstioRetries {
  attempts: number;
  perTryTimeout?: string;
  retryOn?: string;
  backoff?: string;
}

/**
 * Neutral retries → `http[].retries`. Istio retries by default (2 attempts on connect-failure,
 * refused-stream, unavailable, cancelled) while the neutral default is no retries, so "no retry
 * policy" is written as an explicit `attempts: 0`. Conditions are always explicit too, because
 * Istio's default retryOn differs from the neutral default `[5xx, reset, connect-failure]`.
 */
export function istioRetries(retry: Retry | undefined, gaps: GapReporter, loaded: LoadedObject | undefined, path: FieldPath): IstioRetries {
  if (retry === undefined || retry.attempts === 0) return { attempts: 0 };
  const on = retry.on ?? DEFAULTS.retryOn;
  // Istio takes status codes inline in retryOn ("503,reset") and turns them into retriable-status-codes.
  const tokens = on.flatMap((c) => (c === 'retriable-status-codes' ? (retry.statusCodes ?? []).map(String) : [c]));
  if (retry.backoff?.maxInterval !== undefined && loaded) {
    gaps.approximated(
      loaded,
      [...path, 'backoff', 'maxInterval'],
      'retry.backoff',
      `Istio sets only the base interval (retries.backoff); the maximum stays Envoy's 10 × base instead of ${retry.backoff.maxInterval}`,
    );
  }
  return {
    attempts: retry.attempts,
    perTryTimeout: retry.perTryTimeout,
    retryOn: tokens.join(','),
    backoff: retry.backoff?.baseInterval,
  };
}
