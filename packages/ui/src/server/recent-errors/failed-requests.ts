import type { AccessLogRecord, InstanceInfo } from '@anymesh/native-mesh';
import type { FailedRequest } from '../api-types.js';

/** Which failed requests of a service a panel wants. */
export interface FailedRequestQuery {
  /** Only calls from these callers (bare names, as sidecars label them). */
  readonly sources?: readonly string[];
  readonly limit: number;
}

/** A status listed under "Recent errors": 4xx, 5xx, or no response at all (0). */
export const isFailure = (code: number): boolean => code === 0 || code >= 400;

/**
 * The service (`namespace/name`) whose panel a tapped request belongs to, or undefined to skip it.
 * Every call is reported twice, by the caller's sidecar (outbound) and the callee's (inbound): the
 * inbound record is kept, plus the outbound ones the caller's sidecar answered itself (with a
 * reason such as circuit-breaker or no-healthy-upstream), since those never reached the callee.
 */
export function ownerOf(
  record: AccessLogRecord,
  reporter: InstanceInfo,
  namespaceOf: (service: string, near: string) => string,
): string | undefined {
  if (record.direction === 'inbound') return `${reporter.namespace}/${reporter.service}`;
  if (record.reason === null || record.destination === '' || record.destination === 'unknown') return undefined;
  return `${namespaceOf(record.destination, reporter.namespace)}/${record.destination}`;
}

export function failedRequestOf(record: AccessLogRecord, seq: number): FailedRequest {
  return {
    seq,
    time: record.time,
    direction: record.direction,
    source: record.source,
    sourceVersion: record.source_version,
    destination: record.destination,
    destinationVersion: record.destination_version,
    method: record.method,
    path: record.path,
    code: record.code,
    reason: record.reason,
    durationMs: record.duration_ms,
    retries: record.retries,
    sidecar: record.sidecar,
  };
}

export const matchesQuery = (row: FailedRequest, query: FailedRequestQuery): boolean =>
  query.sources === undefined || query.sources.includes(row.source);
