import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConfigSnapshot } from '../protocol/types.js';
import type { Sidecar, SidecarOptions } from '../protocol/sidecar.js';
import { compileConfig, type CompiledConfig } from './config/compile-config.js';
import { configChannel, type ProxyConfigMessage } from './diagnostics.js';
import { Mirror } from './filters/mirror.js';
import { AccessMetrics } from './access/access-metrics.js';
import { accessAuthorizer } from './access/authorizer.js';
import { AccessLog, type AccessLogSink } from './access-log/access-log.js';
import { adminHandler } from './listeners/admin.js';
import { InboundHandler, type InboundAuthorizer } from './listeners/inbound.js';
import { OutboundHandler } from './listeners/outbound.js';
import { ProxyMetrics } from './metrics.js';
import { TapHub } from './tap/tap-hub.js';
import { SidecarTracing } from './tracing/sidecar-tracing.js';
import { SidecarTls } from './tls/sidecar-tls.js';
import type { CertificateEvent } from './tls/workload-certificates.js';
import { UpstreamGroups } from './upstream/groups.js';

/** How long `close` lets in-flight requests finish before cutting connections. */
export const DRAIN_TIMEOUT_MS = 5_000;
/** Server keep-alive: longer than the pools' idle timeout so the client side closes first. */
const SERVER_KEEP_ALIVE_MS = 75_000;

/** A running sidecar with its metrics registry (for embedding) besides the protocol's view. */
export interface ProxySidecar extends Sidecar {
  readonly metrics: ProxyMetrics;
}

/** Internal options beyond the protocol's (tests, later issues). */
export interface ProxyExtras {
  /** Replaces access control (tests); default: the snapshot's AccessPolicies, enforced on the caller's verified identity. */
  readonly authorize?: InboundAuthorizer;
  /** Where access-log lines go when `Mesh.spec.observability.accessLogs` is on (the CLI: stdout or a file). None: no access logs. */
  readonly accessLog?: AccessLogSink;
  /** OTLP/HTTP traces endpoint; overrides `Mesh.spec.observability.tracing.endpoint`. */
  readonly tracingEndpoint?: string;
  /** Certificate issued / renewal failed (the proxy command logs these). */
  readonly onCertificate?: (event: CertificateEvent) => void;
}

/**
 * Starts a sidecar: outbound (app → mesh), inbound (mesh → app) and admin listeners, fed by a
 * ConfigSource. Each snapshot is compiled once; a snapshot that fails to compile is rejected and
 * the last good config stays in force (also when the source goes silent). Requests in flight keep
 * the config they started with.
 */
export async function startSidecar(options: SidecarOptions, extras: ProxyExtras = {}): Promise<ProxySidecar> {
  const bindHost = options.bindHost ?? '127.0.0.1';
  const self = options.instance;
  const tls = await SidecarTls.start(self.identity, options.identity, extras.onCertificate);
  const metrics = new ProxyMetrics(tls.outboundMtls);
  const groups = new UpstreamGroups(metrics, tls.upstreamTls);
  let current: CompiledConfig | undefined;
  const config = () => current;
  const tracing = new SidecarTracing(self.service, extras.tracingEndpoint);
  const tracer = () => tracing.tracer;
  const accessLog = new AccessLog(self.id, extras.accessLog);
  const tap = new TapHub(self.id);
  const authorize = extras.authorize ?? accessAuthorizer({ self, config, metrics: new AccessMetrics(metrics.registry) });

  const mirror = new Mirror(
    () => metrics.mirrorDropped(),
    (group, endpoint, outcome, seconds) =>
      metrics.attempt(group.namespace, group.service, endpoint?.version ?? group.versionLabel, outcome, seconds),
  );
  const outbound = new OutboundHandler({ self, config, metrics, mirror, hooks: groups.forwardHooks, tracer });
  const inbound = new InboundHandler({ self, appPort: options.appPort, metrics, authorize, tracer, identities: tls.identities });
  const servers = [
    await listen(outbound.handle, options.outboundPort, '127.0.0.1'),
    await listen(tls.guard(inbound.handle), self.inboundPort, bindHost),
    await listen(adminHandler({ metrics, config, instanceId: self.id, tap }), self.adminPort, bindHost),
  ] as const;
  const [outboundServer, inboundServer, adminServer] = servers;
  tls.secureInbound(inboundServer);
  const port = (s: Server) => (s.address() as AddressInfo).port;
  const actualSelf = { ...self, inboundPort: port(inboundServer), adminPort: port(adminServer) };

  const publish = (message: ProxyConfigMessage) => {
    if (configChannel.hasSubscribers) configChannel.publish(message);
  };
  options.config.subscribe((snapshot: ConfigSnapshot) => {
    // Same version: nothing new. A lower one means the control plane's state was reset: apply it.
    if (current !== undefined && snapshot.version === current.version) return;
    try {
      current = compileConfig(snapshot, actualSelf, groups);
      tls.configure(snapshot);
      tracing.configure(current.mesh);
      accessLog.configure(current.mesh);
      publish({ sidecar: self.id, event: 'applied', version: snapshot.version });
    } catch (error) {
      publish({ sidecar: self.id, event: 'rejected', version: snapshot.version, error: error as Error });
    }
  });

  let closing: Promise<void> | undefined;
  return {
    metrics,
    inboundPort: actualSelf.inboundPort,
    outboundPort: port(outboundServer),
    adminPort: actualSelf.adminPort,
    get configVersion() {
      return current?.version ?? 0;
    },
    close() {
      closing ??= (async () => {
        await options.config.close();
        tap.close();
        await Promise.all(servers.map(drain));
        inbound.close();
        groups.close();
        tls.close();
        accessLog.close();
        await tracing.close();
      })();
      return closing;
    },
  };
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number, host: string): Promise<Server> {
  const server = createServer({ keepAliveTimeout: SERVER_KEEP_ALIVE_MS }, handler);
  // Sidecar traffic is latency-sensitive and small: no Nagle delay.
  server.on('connection', (socket) => socket.setNoDelay(true));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Stops accepting, closes idle connections, and cuts the rest after the drain timeout. */
function drain(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
