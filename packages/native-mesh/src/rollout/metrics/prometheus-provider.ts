import type { AnalysisMetric, MetricName, VersionRef } from '@anymesh/core';
import { MetricsError } from './errors.js';
import type { AnalysisWindow, MetricsProvider, WindowSample } from './provider.js';
import { queryFor, requestsQuery, type QueryScope } from './promql.js';

const ALL_METRICS: readonly MetricName[] = ['success-rate', 'latency-p50', 'latency-p99', 'request-rate'];

export interface PrometheusProviderOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:9090`. */
  readonly address: string;
  /**
   * The rollout's metrics: their `query` templates replace the built-in queries, and a failure of
   * one of them fails the window. The other built-ins are measured too (the dashboard charts
   * them), but their failure only leaves their value out. Default: none analysed.
   */
  readonly metrics?: readonly AnalysisMetric[];
  /** Per query. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** The clock (ms); tests may pin it. */
  readonly now?: () => number;
}

/**
 * Measures a version with PromQL over HTTP (`/api/v1/query`, evaluated at the window's end, over
 * the window's length). Answers are parsed strictly: anything but one finite number is an error
 * naming the query, which the planner records as "no data".
 */
export class PrometheusMetricsProvider implements MetricsProvider {
  readonly #options: PrometheusProviderOptions;
  readonly #now: () => number;

  constructor(options: PrometheusProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  startWindow(target: VersionRef): Promise<AnalysisWindow> {
    const startedAt = this.#now();
    return Promise.resolve({ finish: () => this.#measure(target, startedAt) });
  }

  async #measure(target: VersionRef, startedAt: number): Promise<WindowSample> {
    const at = this.#now();
    const seconds = Math.max(1, Math.round((at - startedAt) / 1000));
    const scope: QueryScope = { ...target, interval: `${seconds}s` };
    const requests = await this.#query(requestsQuery(scope), at);
    const values: Partial<Record<MetricName, number>> = {};
    if (requests > 0) {
      const analysed = new Map((this.#options.metrics ?? []).map((m) => [m.name, m]));
      const answers = await Promise.all(
        ALL_METRICS.map((name) => {
          const metric = analysed.get(name);
          const answer = this.#query(queryFor(metric ?? name, scope), at);
          return metric === undefined ? answer.catch(() => undefined) : answer;
        }),
      );
      ALL_METRICS.forEach((name, i) => {
        const value = answers[i];
        if (value !== undefined) values[name] = value;
      });
    } else values['request-rate'] = 0;
    return { requests: Math.round(requests), values, seconds, missing: [] };
  }

  /** One instant query at `at` (ms); its single finite value, or a MetricsError naming the query. */
  async #query(query: string, at: number): Promise<number> {
    const url = new URL('/api/v1/query', this.#options.address);
    url.searchParams.set('query', query);
    url.searchParams.set('time', (at / 1000).toFixed(3));
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5000) });
      text = await response.text();
    } catch (error) {
      throw new MetricsError('PROMETHEUS_UNREACHABLE', `Prometheus at ${this.#options.address}: ${(error as Error).message}`, query);
    }
    return parseAnswer(query, response.status, text);
  }
}

/**
 * Prometheus' JSON answer to an instant query → its one finite number. An error status, a body
 * that is not the documented format, no series, several series, or a non-finite value (NaN: e.g.
 * a quantile of no observations) are errors naming the query.
 */
export function parseAnswer(query: string, status: number, text: string): number {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (status < 200 || status > 299)
      throw new MetricsError('PROMETHEUS_UNREACHABLE', `HTTP ${status} for ${query}: ${text.slice(0, 200)}`, query);
    throw new MetricsError('MALFORMED_ANSWER', `not JSON for ${query}: ${text.slice(0, 200)}`, query);
  }
  if (!isRecord(body)) throw new MetricsError('MALFORMED_ANSWER', `not an object for ${query}`, query);
  if (body.status === 'error')
    throw new MetricsError('QUERY_FAILED', `${String(body.errorType)}: ${String(body.error)} (query ${query})`, query);
  if (body.status !== 'success' || !isRecord(body.data))
    throw new MetricsError('MALFORMED_ANSWER', `no "status": "success" with "data" for ${query}`, query);
  const { resultType, result } = body.data;
  let pair: unknown;
  if (resultType === 'scalar') pair = result;
  else if (resultType === 'vector' && Array.isArray(result)) {
    if (result.length !== 1)
      throw new MetricsError('NO_VALUE', `${result.length === 0 ? 'no series' : `${result.length} series`} for ${query}`, query);
    const only: unknown = result[0];
    pair = isRecord(only) ? only.value : undefined;
  } else throw new MetricsError('MALFORMED_ANSWER', `result type ${String(resultType)} (want vector or scalar) for ${query}`, query);
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[1] !== 'string')
    throw new MetricsError('MALFORMED_ANSWER', `no [time, "value"] pair for ${query}`, query);
  const value = Number(pair[1]);
  if (!Number.isFinite(value)) throw new MetricsError('NO_VALUE', `value ${pair[1]} for ${query}`, query);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
