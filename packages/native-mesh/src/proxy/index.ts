// The sidecar proxy's public surface.
export { startSidecar, DRAIN_TIMEOUT_MS, type ProxySidecar, type ProxyExtras } from './sidecar.js';
export { AnymeshProxyError, PROXY_ERRORS, type ProxyErrorCode } from './errors.js';
export { ProxyMetrics, type Direction } from './metrics.js';
export { requestChannel, configChannel, type ProxyRequestMessage, type ProxyConfigMessage } from './diagnostics.js';
export type { InboundAuthorizer, CallerInfo } from './listeners/inbound.js';
export { SOURCE_SERVICE_HEADER, SOURCE_VERSION_HEADER } from './listeners/outbound.js';
export { REASON_HEADER } from './listeners/respond.js';
export { REPLAYABLE_BODY_LIMIT } from './filters/body.js';
