import type { ProxyRequestMessage } from '../diagnostics.js';

/** One access-log record: the fields users grep for, flat, with stable names (documented in docs/native-mesh/observability.md). */
export interface AccessLogRecord {
  readonly time: string;
  readonly sidecar: string;
  readonly direction: 'inbound' | 'outbound';
  readonly source: string;
  readonly source_version: string;
  readonly destination: string;
  readonly destination_version: string;
  readonly method: string;
  readonly path: string;
  readonly code: number;
  readonly reason: string | null;
  readonly duration_ms: number;
  readonly attempts: number;
  readonly retries: number;
  readonly upstream: string | null;
  readonly route_rule: string | null;
  readonly trace_id: string | null;
  /** Inbound: the connection was mutual TLS; null on outbound lines (the mode in force decides there). */
  readonly mtls: boolean | null;
  readonly identity: string | null;
  readonly access: 'allow' | 'deny' | null;
  readonly access_rule: string | null;
  readonly audit: string | null;
}

/** Builds the record of a completed request; `endMs` is the wall clock when it completed. */
export function accessLogRecord(m: ProxyRequestMessage, endMs: number): AccessLogRecord {
  const audit = m.access?.audit;
  return {
    time: new Date(endMs - m.durationMs).toISOString(),
    sidecar: m.sidecar,
    direction: m.direction,
    source: m.sourceService,
    source_version: m.sourceVersion,
    destination: m.destinationService,
    destination_version: m.destinationVersion,
    method: m.method,
    path: m.path,
    code: m.status,
    reason: m.reason ?? null,
    duration_ms: Math.round(m.durationMs * 1000) / 1000,
    attempts: m.attempts,
    retries: Math.max(0, m.attempts - 1),
    upstream: m.upstreamInstance ?? null,
    route_rule: m.rule ?? null,
    trace_id: m.traceId ?? null,
    mtls: m.mtls ?? null,
    identity: m.identity ?? null,
    access: m.access?.decision ?? null,
    access_rule: m.access?.rule ?? null,
    audit: audit === undefined ? null : `${audit.wouldAllow ? 'would-allow' : 'would-deny'} ${audit.rule}`,
  };
}

export function formatJson(record: AccessLogRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** `text` format: the same fields as `key=value` pairs (values with spaces quoted), one line. */
export function formatText(record: AccessLogRecord): string {
  const parts = Object.entries(record).map(([k, v]) => {
    const s = v === null ? '-' : String(v);
    return /[\s"]/.test(s) ? `${k}=${JSON.stringify(s)}` : `${k}=${s}`;
  });
  return `${parts.join(' ')}\n`;
}
