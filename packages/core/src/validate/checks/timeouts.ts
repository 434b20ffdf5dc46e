import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { FieldPath } from '../../diagnostics/field-path.js';
import type { Retry } from '../../model/generated.js';
import type { LoadedObject } from '../../model/kinds.js';
import type { PolicySet } from '../../model/policy-set.js';
import { durationMs } from '../../semantics/duration.js';
import { report } from '../report.js';

/** Timeouts must be positive and, like retry backoffs, whole milliseconds (AM3007); a per-try timeout at or above the request timeout can never fire as a retry (AM3013). */
export function checkTimeouts(set: PolicySet): Diagnostic[] {
  const out: Diagnostic[] = [];
  const positive = (l: LoadedObject, path: FieldPath, value: string | undefined) => {
    if (value !== undefined && durationMs(value) <= 0) {
      out.push(
        report(
          l,
          'AM3007',
          path,
          `duration ${JSON.stringify(value)} is zero; a timeout must be positive: remove the field for "no timeout"`,
        ),
      );
    } else wholeMilliseconds(l, path, value);
  };
  // Refused rather than rounded: Istio rejects durations below 1ms or finer than 1ms, Gateway API
  // (Linkerd) writes whole milliseconds only, where 0.4ms would become "0ms" (no timeout at all), and
  // timers in Envoy and in our sidecar tick in milliseconds. No mesh could honour the value exactly.
  const wholeMilliseconds = (l: LoadedObject, path: FieldPath, value: string | undefined) => {
    if (value === undefined || Number.isInteger(durationMs(value))) return;
    const ms = durationMs(value);
    out.push(
      report(
        l,
        'AM3007',
        path,
        `duration ${JSON.stringify(value)} is ${ms}ms, not a whole number of milliseconds: meshes keep durations to 1ms (Istio refuses finer ones, Gateway API cannot write them); use ${JSON.stringify(`${Math.max(1, Math.round(ms))}ms`)}`,
      ),
    );
  };
  const retry = (l: LoadedObject, path: FieldPath, r: Retry | undefined, timeout: string | undefined) => {
    if (!r) return;
    positive(l, [...path, 'perTryTimeout'], r.perTryTimeout);
    wholeMilliseconds(l, [...path, 'backoff', 'baseInterval'], r.backoff?.baseInterval);
    wholeMilliseconds(l, [...path, 'backoff', 'maxInterval'], r.backoff?.maxInterval);
    if (r.perTryTimeout && timeout && durationMs(r.perTryTimeout) >= durationMs(timeout)) {
      out.push(
        report(
          l,
          'AM3013',
          [...path, 'perTryTimeout'],
          `perTryTimeout ${r.perTryTimeout} is not below the request timeout ${timeout}, so no retry can happen in time; lower perTryTimeout (e.g. to ${Math.floor(durationMs(timeout) / ((r.attempts || 1) + 1))}ms) or raise the timeout`,
          'warning',
        ),
      );
    }
    if (r.on?.includes('retriable-status-codes') && !r.statusCodes?.length) {
      out.push(
        report(
          l,
          'AM2001',
          [...path, 'statusCodes'],
          'retry on "retriable-status-codes" needs statusCodes: list the codes to retry, e.g. [503]',
        ),
      );
    }
  };
  for (const r of set.routes) {
    r.object.spec.rules.forEach((rule, i) => {
      positive(r, ['spec', 'rules', i, 'timeout'], rule.timeout);
      retry(r, ['spec', 'rules', i, 'retries'], rule.retries, rule.timeout);
      positive(r, ['spec', 'rules', i, 'fault', 'delay', 'fixed'], rule.fault?.delay?.fixed);
    });
  }
  for (const p of set.trafficPolicies) {
    const s = p.object.spec;
    for (const f of ['connectTimeout', 'requestTimeout', 'idleTimeout'] as const) positive(p, ['spec', f], s[f]);
    retry(p, ['spec', 'retries'], s.retries, s.requestTimeout);
  }
  return out;
}
