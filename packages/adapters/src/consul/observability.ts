import type { LoadedObject, Mesh } from '@anymesh/core';
import type { ConsulContext } from './context.js';

/** Envoy's default text access-log format, written out because Consul's default is JSON. */
const ENVOY_TEXT_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"\n';

const OTLP_CLUSTER = 'anymesh_otlp_collector';
export const PROMETHEUS_BIND_ADDR = '0.0.0.0:20200';

export function accessLogs(ctx: ConsulContext): Record<string, unknown> {
  if (!ctx.mesh.accessLogs) return { enabled: false };
  // Consul's default access-log format is JSON; text needs an explicit Envoy format string.
  return ctx.mesh.accessLogFormat === 'json'
    ? { enabled: true, type: 'stdout' }
    : { enabled: true, type: 'stdout', textFormat: ENVOY_TEXT_FORMAT };
}

function collectorCluster(endpoint: URL): Record<string, unknown> {
  const port = Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80));
  return {
    name: OTLP_CLUSTER,
    type: 'STRICT_DNS',
    connect_timeout: '1s',
    load_assignment: {
      cluster_name: OTLP_CLUSTER,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: endpoint.hostname, port_value: port } } } }] }],
    },
  };
}

/**
 * ProxyDefaults `config` keys for metrics and tracing. Consul has no tracing API: it takes raw
 * Envoy JSON (`envoy_listener_tracing_json`, `envoy_extra_static_clusters_json`) that it does not
 * validate, so the translation is reported as approximated.
 */
export function proxyConfig(ctx: ConsulContext, mesh: LoadedObject<Mesh> | undefined): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (ctx.mesh.metricsEnabled) config.envoy_prometheus_bind_addr = PROMETHEUS_BIND_ADDR;
  const tracing: Record<string, unknown> = { random_sampling: { value: ctx.mesh.tracingSampling } };
  const endpoint = ctx.mesh.tracingEndpoint;
  if (endpoint !== undefined) {
    const url = new URL(endpoint);
    tracing.provider = {
      name: 'envoy.tracers.opentelemetry',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig',
        http_service: { http_uri: { uri: endpoint, cluster: OTLP_CLUSTER, timeout: '1s' } },
      },
    };
    config.envoy_extra_static_clusters_json = JSON.stringify(collectorCluster(url));
  }
  config.envoy_listener_tracing_json = JSON.stringify(tracing);
  if (mesh) {
    ctx.gaps.approximated(
      mesh,
      ['spec', 'observability', 'tracing'],
      'observability.tracing',
      'Consul configures tracing only through raw Envoy JSON in ProxyDefaults.config (envoy_listener_tracing_json), which Consul does not validate; the sampling rate is written explicitly',
    );
    if (ctx.mesh.metricsEnabled) {
      ctx.gaps.assumption(
        mesh,
        ['spec', 'observability', 'metrics'],
        'observability.metrics',
        `Prometheus scrapes Envoy metrics at ${PROMETHEUS_BIND_ADDR} (envoy_prometheus_bind_addr)`,
      );
    }
  }
  return config;
}
