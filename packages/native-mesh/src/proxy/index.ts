// The sidecar proxy's public surface.
export { startSidecar, DRAIN_TIMEOUT_MS, type ProxySidecar, type ProxyExtras } from './sidecar.js';
export { AnymeshProxyError, PROXY_ERRORS, type ProxyErrorCode } from './errors.js';
export { ProxyMetrics, type Direction } from './metrics.js';
export { requestChannel, configChannel, type ProxyRequestMessage, type ProxyConfigMessage } from './diagnostics.js';
export type { InboundAuthorizer, CallerInfo } from './listeners/inbound.js';
export { SOURCE_SERVICE_HEADER, SOURCE_VERSION_HEADER } from './listeners/outbound.js';
export { REASON_HEADER } from './listeners/respond.js';
export { REPLAYABLE_BODY_LIMIT } from './filters/body.js';
export type { AccessVerdict } from './listeners/inbound.js';
export { accessAuthorizer, AccessMetrics, type AccessDeps, type AccessNote } from './access/index.js';
export { accessLogRecord, formatJson, formatText, type AccessLogRecord, type AccessLogSink } from './access-log/index.js';
export {
  openTap,
  TAP_MAX_BUFFERED_BYTES,
  type TapEvent,
  type TapFilter,
  type TapTarget,
  type TapHandlers,
  type TapSession,
} from './tap/index.js';
export type { MtlsMode } from './tls/inbound-listener.js';
export type { CertificateEvent } from './tls/workload-certificates.js';
