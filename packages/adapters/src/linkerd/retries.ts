import { DEFAULTS, type FieldPath, type LoadedObject, type Retry, type RetryOn } from '@anymesh/core';
import type { LinkerdContext } from './context.js';
import { gatewayDuration } from './gateway-duration.js';

/** Conditions Linkerd's `retry.linkerd.io/http` can name: response statuses only. */
const STATUS_CONDITIONS: Partial<Record<RetryOn, string>> = { '5xx': '5xx', 'gateway-error': 'gateway-error' };

/**
 * `retry.linkerd.io/*` annotations for a retry policy. They live on the HTTPRoute, so they apply
 * to every rule of that route: rules with different policies go to different routes.
 * `attempts: 0` writes `limit: "0"`: any retry annotation on a route overrides all of the parent
 * Service's, so this says "no retries" even where someone annotated the Service.
 */
export function retryAnnotations(retry: Retry | undefined): Record<string, string> {
  if (retry === undefined) return {};
  if (retry.attempts === 0) return { 'retry.linkerd.io/limit': '0' };
  const on = retry.on ?? DEFAULTS.retryOn;
  const statuses = on.flatMap((c) => {
    if (c === 'retriable-status-codes') return (retry.statusCodes ?? []).map(String);
    const s = STATUS_CONDITIONS[c];
    return s === undefined ? [] : [s];
  });
  const out: Record<string, string> = { 'retry.linkerd.io/limit': String(retry.attempts) };
  if (statuses.length > 0) out['retry.linkerd.io/http'] = [...new Set(statuses)].join(',');
  if (retry.perTryTimeout !== undefined) out['retry.linkerd.io/timeout'] = gatewayDuration(retry.perTryTimeout);
  return out;
}

/** Reports, once per neutral retry policy, what the annotations cannot carry. */
export function reportRetryGaps(ctx: LinkerdContext, loaded: LoadedObject, retry: Retry, at: FieldPath): void {
  if (retry.attempts === 0) return;
  const on = retry.on ?? DEFAULTS.retryOn;
  const unselectable = on.filter((c) => c !== 'retriable-status-codes' && STATUS_CONDITIONS[c] === undefined);
  const body = 'requests with bodies over 64 KiB are never retried';
  if (unselectable.length > 0) {
    const none = unselectable.length === on.length && !on.includes('retriable-status-codes');
    ctx.gaps.approximated(
      loaded,
      [...at, retry.on ? 'on' : 'attempts'],
      'retry.conditions',
      `retry.linkerd.io/http selects retries by response status only; ${unselectable.join(', ')} cannot be named${none ? ', so no retries are configured' : ''}; ${body}`,
    );
  } else {
    ctx.gaps.approximated(loaded, [...at, 'attempts'], 'retry.attempts', `written as retry.linkerd.io/limit; ${body}`);
  }
  if (retry.backoff) {
    ctx.gaps.unsupported(loaded, [...at, 'backoff'], 'retry.backoff', 'Linkerd has no retry backoff setting; nothing is emitted for it');
  }
}
