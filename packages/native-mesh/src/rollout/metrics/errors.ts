/**
 * Codes of metrics-provider failures; stable, documented in docs/rollouts.md ("Metrics providers").
 * The rollout planner treats every one of them as "no data" for the interval.
 */
export type MetricsErrorCode =
  /** No instance could be scraped at both ends of the window (sidecar provider). */
  | 'NO_INSTANCES'
  /** The Prometheus server could not be reached or answered a non-2xx status. */
  | 'PROMETHEUS_UNREACHABLE'
  /** Prometheus answered `status: error` (e.g. a bad PromQL template). */
  | 'QUERY_FAILED'
  /** The query's answer was not the single finite number expected (empty vector, NaN, several series). */
  | 'NO_VALUE'
  /** The answer was not Prometheus' JSON query format. */
  | 'MALFORMED_ANSWER'
  /** A `query` template names a placeholder that does not exist. */
  | 'BAD_TEMPLATE'
  /** Synthetic load was asked to go to an address that is not loopback. */
  | 'NOT_LOOPBACK'
  /** Synthetic load found no instance of the version to send to. */
  | 'NO_TARGET';

export class MetricsError extends Error {
  override readonly name = 'MetricsError';

  /** `query`: the PromQL sent, when the failure is about one query. */
  constructor(
    readonly code: MetricsErrorCode,
    message: string,
    readonly query?: string,
  ) {
    super(message);
  }
}
