import { DEFAULTS, durationMs, type Retry } from '@anymesh/core';

/** A retry policy ready for the request path: conditions as booleans, durations in ms. */
export interface RetryPolicy {
  readonly attempts: number;
  /** 0: no per-try timeout (only the request timeout bounds an attempt). */
  readonly perTryTimeoutMs: number;
  readonly on5xx: boolean;
  readonly onGatewayError: boolean;
  readonly onReset: boolean;
  readonly onConnectFailure: boolean;
  readonly statusCodes: ReadonlySet<number>;
  readonly baseIntervalMs: number;
  readonly maxIntervalMs: number;
}

export function compileRetry(retry: Retry | undefined): RetryPolicy | undefined {
  if (retry === undefined || retry.attempts === 0) return undefined;
  const on = new Set(retry.on ?? DEFAULTS.retryOn);
  const baseIntervalMs = durationMs(retry.backoff?.baseInterval ?? DEFAULTS.retryBaseInterval);
  return {
    attempts: retry.attempts,
    perTryTimeoutMs: retry.perTryTimeout ? durationMs(retry.perTryTimeout) : 0,
    on5xx: on.has('5xx'),
    onGatewayError: on.has('gateway-error'),
    onReset: on.has('reset'),
    onConnectFailure: on.has('connect-failure'),
    // `refused-stream` is an HTTP/2 condition: an HTTP/1.1 upstream never produces it.
    statusCodes: new Set(on.has('retriable-status-codes') ? (retry.statusCodes ?? []) : []),
    baseIntervalMs,
    maxIntervalMs: retry.backoff?.maxInterval ? durationMs(retry.backoff.maxInterval) : 10 * baseIntervalMs,
  };
}

/** How an attempt ended, for the retry decision. */
export type AttemptOutcome = number | 'connect-failure' | 'reset' | 'per-try-timeout';

/**
 * Envoy's retry-on semantics: `5xx` also covers local failures (connect failure, reset, per-try
 * timeout), `gateway-error` covers 502/503/504 and the same local failures (which a proxy reports
 * as 503/504), `reset` covers resets and per-try timeouts (no response at all).
 */
export function isRetriable(policy: RetryPolicy, outcome: AttemptOutcome): boolean {
  if (typeof outcome === 'number') {
    if (policy.statusCodes.has(outcome)) return true;
    if (outcome >= 500 && policy.on5xx) return true;
    return policy.onGatewayError && (outcome === 502 || outcome === 503 || outcome === 504);
  }
  if (policy.on5xx || policy.onGatewayError) return true;
  if (outcome === 'connect-failure') return policy.onConnectFailure;
  return policy.onReset;
}

/** Full-jitter exponential backoff before retry number `retry` (1-based). */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxIntervalMs, policy.baseIntervalMs * 2 ** (retry - 1));
  return Math.random() * ceiling;
}
