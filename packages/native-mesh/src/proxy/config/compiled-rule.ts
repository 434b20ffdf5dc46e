import { durationMs, type HeaderModifier, type Redirect, type RouteRule, type TrafficPolicy } from '@anymesh/core';
import { compileRetry, type RetryPolicy } from '../resilience/retry.js';
import type { UpstreamGroup } from '../upstream/group.js';

/** Header changes as arrays, applied in the order set, add, remove. */
export interface HeaderChanges {
  readonly set: readonly (readonly [string, string])[];
  readonly add: readonly (readonly [string, string])[];
  readonly remove: readonly string[];
}

export interface FaultSpec {
  readonly delayMs: number;
  readonly delayPercent: number;
  readonly abortStatus: number;
  readonly abortPercent: number;
}

/** A routing rule compiled for the request path. */
export interface CompiledRule {
  readonly name: string;
  readonly groups: readonly UpstreamGroup[];
  /** Cumulative relative weights of `groups` (weight-0 destinations are dropped). */
  readonly cumulative: readonly number[];
  readonly totalWeight: number;
  readonly redirect: Redirect | undefined;
  readonly rewriteFullPath: string | undefined;
  readonly rewritePrefix: string | undefined;
  readonly rewriteHost: string | undefined;
  readonly requestHeaders: HeaderChanges | undefined;
  readonly responseHeaders: HeaderChanges | undefined;
  readonly mirror: { readonly group: UpstreamGroup; readonly percent: number } | undefined;
  readonly fault: FaultSpec | undefined;
  /** Whole request incl. retries; 0: none. */
  readonly timeoutMs: number;
  readonly retry: RetryPolicy | undefined;
}

export type GroupLookup = (service: string, version: string | undefined) => UpstreamGroup;

function headerChanges(m: HeaderModifier | undefined): HeaderChanges | undefined {
  if (m === undefined) return undefined;
  const lower = (o: Record<string, string> | undefined) => Object.entries(o ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const);
  return { set: lower(m.set), add: lower(m.add), remove: (m.remove ?? []).map((h) => h.toLowerCase()) };
}

/**
 * Compiles one rule of the route to `service`, with the TrafficPolicy defaults of the service
 * (request timeout, retries) applied where the rule sets none.
 */
export function compileRule(
  rule: RouteRule | undefined,
  name: string,
  service: string,
  servicePolicy: TrafficPolicy | undefined,
  group: GroupLookup,
): CompiledRule {
  const destinations = (rule?.destinations ?? [{}]).filter((d) => (d.weight ?? 1) > 0);
  const groups: UpstreamGroup[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const d of destinations) {
    total += d.weight ?? 1;
    groups.push(group(d.service ?? service, d.version));
    cumulative.push(total);
  }
  const f = rule?.fault;
  const timeout = rule?.timeout ?? servicePolicy?.spec.requestTimeout;
  return {
    name,
    groups,
    cumulative,
    totalWeight: total,
    redirect: rule?.redirect,
    rewriteFullPath: rule?.rewrite?.fullPath,
    rewritePrefix: rule?.rewrite?.pathPrefix,
    rewriteHost: rule?.rewrite?.host,
    requestHeaders: headerChanges(rule?.requestHeaders),
    responseHeaders: headerChanges(rule?.responseHeaders),
    mirror: rule?.mirror ? { group: group(rule.mirror.service ?? service, rule.mirror.version), percent: rule.mirror.percent } : undefined,
    fault: f
      ? {
          delayMs: f.delay ? durationMs(f.delay.fixed) : 0,
          delayPercent: f.delay?.percent ?? 0,
          abortStatus: f.abort?.httpStatus ?? 0,
          abortPercent: f.abort?.percent ?? 0,
        }
      : undefined,
    timeoutMs: timeout ? durationMs(timeout) : 0,
    retry: compileRetry(rule?.retries ?? servicePolicy?.spec.retries),
  };
}
