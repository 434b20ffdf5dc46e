import type { AnalysisMetric, MetricName, VersionRef } from '@anymesh/core';
import { MetricsError } from './errors.js';

/** The inbound source label synthetic load carries (header on plaintext, certificate's service account on mTLS). */
export const SYNTHETIC_SOURCE = 'anymesh-synthetic-load';

const PLACEHOLDERS = new Set(['namespace', 'service', 'version', 'interval']);

/** What the window's built-in queries and the templates are given. */
export interface QueryScope extends VersionRef {
  /** The window's length as a PromQL duration, e.g. `30s`. */
  readonly interval: string;
}

/**
 * Selectors of the version's requests, the same ones the sidecar provider sums: every attempt a
 * caller sidecar sent to the version (with its outcome), and inbound requests from synthetic load.
 */
function selectors(s: QueryScope) {
  const target = `destination_namespace="${s.namespace}",destination_service="${s.service}",destination_version="${s.version}"`;
  const synthetic = `direction="inbound",source_service="${SYNTHETIC_SOURCE}",destination_service="${s.service}",destination_version="${s.version}"`;
  return {
    all: (range: string) =>
      `(sum(increase(anymesh_upstream_attempts_total{${target}}[${range}])) or vector(0)) + (sum(increase(anymesh_requests_total{${synthetic}}[${range}])) or vector(0))`,
    ok: (range: string) =>
      `(sum(increase(anymesh_upstream_attempts_total{${target},outcome=~"[1-4].."}[${range}])) or vector(0)) + (sum(increase(anymesh_requests_total{${synthetic},response_code=~"[1-4].."}[${range}])) or vector(0))`,
    buckets: (range: string) =>
      `sum by (le) (rate(anymesh_upstream_attempt_duration_seconds_bucket{${target}}[${range}]) or rate(anymesh_request_duration_seconds_bucket{${synthetic}}[${range}]))`,
  };
}

/** Requests to the version over the window (for `minRequests`). */
export function requestsQuery(s: QueryScope): string {
  return selectors(s).all(s.interval);
}

/** The built-in query of each metric: %, ms, req/s, as MetricSample has them. */
export function builtInQuery(metric: MetricName, s: QueryScope): string {
  const q = selectors(s);
  switch (metric) {
    case 'success-rate':
      return `100 * (${q.ok(s.interval)}) / (${q.all(s.interval)})`;
    case 'latency-p50':
      return `1000 * histogram_quantile(0.5, ${q.buckets(s.interval)})`;
    case 'latency-p99':
      return `1000 * histogram_quantile(0.99, ${q.buckets(s.interval)})`;
    case 'request-rate':
      return `(${q.all(s.interval)}) / ${seconds(s.interval)}`;
  }
}

function seconds(interval: string): number {
  return Number(interval.slice(0, -1));
}

/** A metric's `query` with `{{namespace}}`, `{{service}}`, `{{version}}`, `{{interval}}` substituted; an unknown placeholder is an error. */
export function fillTemplate(template: string, s: QueryScope): string {
  return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => {
    if (!PLACEHOLDERS.has(name))
      throw new MetricsError(
        'BAD_TEMPLATE',
        `query template names {{${name}}}; known: {{namespace}}, {{service}}, {{version}}, {{interval}}`,
        template,
      );
    return s[name as keyof QueryScope];
  });
}

/** The query for `metric`: its template filled in, or the built-in one. */
export function queryFor(metric: AnalysisMetric | MetricName, s: QueryScope): string {
  if (typeof metric === 'string') return builtInQuery(metric, s);
  return metric.query === undefined ? builtInQuery(metric.name, s) : fillTemplate(metric.query, s);
}
