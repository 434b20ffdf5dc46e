import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AnymeshProxyError } from '../errors.js';
import { isReplayable } from '../filters/body.js';
import type { Endpoint } from '../upstream/endpoint.js';
import type { UpstreamGroup } from '../upstream/group.js';
import { healthOutcome } from '../upstream/outlier.js';
import type { Cancellation } from './cancellation.js';
import { sendAttempt, type AttemptFailure, type AttemptResult, type OutgoingRequest } from './attempt.js';
import { backoffMs, isRetriable, type AttemptOutcome, type RetryPolicy } from './retry.js';

export interface ForwardHooks {
  /** An attempt is over (its response complete, or failed); `outcome` is its status code or failure. */
  onAttempt(group: UpstreamGroup, endpoint: Endpoint, outcome: number | AttemptFailure, seconds: number): void;
  /** A request found no instance, or no breaker slot, in `group`: the version failed it without an attempt. */
  onUnsent(group: UpstreamGroup, reason: 'no-healthy-upstream' | 'circuit-breaker'): void;
  onRetry(group: UpstreamGroup): void;
  onBreakerRejection(group: UpstreamGroup, limit: string): void;
  onBudgetExhausted(group: UpstreamGroup): void;
}

export type ForwardResult =
  | { readonly ok: true; readonly response: IncomingMessage; readonly endpoint: Endpoint; readonly attempts: number }
  | { readonly ok: false; readonly error: AnymeshProxyError; readonly endpoint: Endpoint | undefined; readonly attempts: number };

/** Methods safe to resend when a reused connection was closed under the request (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

const FAILURE_ERRORS = {
  'connect-failure': 'UPSTREAM_CONNECT',
  reset: 'UPSTREAM_RESET',
  'per-try-timeout': 'PER_TRY_TIMEOUT',
  aborted: 'TIMEOUT',
} as const;

/**
 * Sends a request to a group with the rule's retry policy: picks an endpoint (another one than
 * the previous attempt's when it can), passes the circuit breaker, records the outcome for outlier
 * detection, and retries retriable outcomes while attempts and the retry budget last and the body
 * is replayable, with full-jitter backoff. The signal carries the request timeout and the caller's
 * disconnect. A response is released to the breaker when its body ends.
 */
export async function forward(
  group: UpstreamGroup,
  out: OutgoingRequest,
  retry: RetryPolicy | undefined,
  hashKey: string | undefined,
  signal: Cancellation,
  hooks: ForwardHooks,
): Promise<ForwardResult> {
  group.budget.deposit(Date.now());
  const replayable = isReplayable(out.body);
  let retriesLeft = retry && replayable ? retry.attempts : 0;
  let transparentRetry = replayable && IDEMPOTENT.has(out.method);
  let previous: Endpoint | undefined;
  let attempts = 0;
  for (;;) {
    const endpoint = group.pick(hashKey, previous);
    if (endpoint === undefined) {
      hooks.onUnsent(group, 'no-healthy-upstream');
      return { ok: false, error: new AnymeshProxyError('NO_HEALTHY_UPSTREAM', `no healthy instance of ${group.key}`), endpoint, attempts };
    }
    let admitted: true | 'wait' | 'aborted' | string = group.breaker.tryAcquire();
    if (admitted === 'wait') admitted = await waitForSlot(group, signal);
    if (admitted !== true) {
      if (admitted === 'aborted') return { ok: false, error: abortError(signal), endpoint, attempts };
      hooks.onBreakerRejection(group, admitted);
      hooks.onUnsent(group, 'circuit-breaker');
      const error = new AnymeshProxyError('BREAKER_OPEN', `${group.key}: ${admitted}`, { reason: `circuit-breaker-${admitted}` });
      return { ok: false, error, endpoint, attempts };
    }
    attempts++;
    endpoint.begin();
    const sentAt = performance.now();
    const result = await sendAttempt(endpoint, out, retry?.perTryTimeoutMs ?? 0, signal);
    settleOnEnd(group, endpoint, result, sentAt, hooks);
    if (!result.ok && result.failure === 'aborted') return { ok: false, error: abortError(signal), endpoint, attempts };
    const outcome = (result.ok ? result.response.statusCode! : result.failure) as AttemptOutcome;
    group.outlier.record(endpoint, healthOutcome(result.ok ? result.response.statusCode! : 'local-failure'));
    // A kept-alive connection the server closed just as we reused it: resend once, uncounted.
    if (!result.ok && result.failure === 'reset' && result.reused && transparentRetry) {
      transparentRetry = false;
      continue;
    }
    previous = endpoint;
    if (retry !== undefined && retriesLeft > 0 && isRetriable(retry, outcome)) {
      if (group.budget.tryWithdraw(Date.now())) {
        retriesLeft--;
        hooks.onRetry(group);
        if (result.ok) result.response.resume();
        const interrupted = await sleep(backoffMs(retry, retry.attempts - retriesLeft), signal);
        if (interrupted) return { ok: false, error: abortError(signal), endpoint, attempts };
        continue;
      }
      hooks.onBudgetExhausted(group);
    }
    if (result.ok) return { ok: true, response: result.response, endpoint, attempts };
    const code = FAILURE_ERRORS[result.failure];
    return {
      ok: false,
      error: new AnymeshProxyError(code, `${group.key} ${endpoint.id}: ${result.error.message}`, { cause: result.error }),
      endpoint,
      attempts,
    };
  }
}

function abortError(signal: Cancellation): AnymeshProxyError {
  return signal.reason ?? new AnymeshProxyError('TIMEOUT', 'request cancelled');
}

/**
 * Frees the breaker slot and the endpoint's in-flight count when the attempt is really over, and
 * reports the attempt then (its duration runs to the response's end).
 */
function settleOnEnd(group: UpstreamGroup, endpoint: Endpoint, result: AttemptResult, sentAt: number, hooks: ForwardHooks): void {
  const outcome = result.ok ? result.response.statusCode! : result.failure;
  const done = () => {
    group.breaker.release();
    endpoint.end();
    hooks.onAttempt(group, endpoint, outcome, (performance.now() - sentAt) / 1000);
  };
  if (!result.ok || result.response.complete) {
    done();
    return;
  }
  let settled = false;
  const once = () => {
    if (settled) return;
    settled = true;
    done();
  };
  result.response.once('end', once);
  result.response.once('close', once);
}

/** Waits for a breaker slot (a pending request) or the signal. */
function waitForSlot(group: UpstreamGroup, signal: Cancellation): Promise<true | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const waiter = group.breaker.wait(() => {
      signal.clear();
      resolve(true);
    });
    signal.onCancel(() => {
      group.breaker.cancel(waiter);
      resolve('aborted');
    });
  });
}

/** Waits; resolves true when the signal aborted the wait. */
function sleep(ms: number, signal: Cancellation): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.clear();
      resolve(false);
    }, ms);
    signal.onCancel(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
