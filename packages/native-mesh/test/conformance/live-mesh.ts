import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { CertificateAuthority } from '../../src/identity/index.js';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { startSidecar, type ProxyExtras, type ProxySidecar } from '../../src/proxy/index.js';
import { identityFrom } from '../identity/support/tls-mesh.js';
import { startApp, type Behaviour, type SeenRequest, type TestApp } from '../proxy/support/app.js';
import { snapshotOf, StaticConfigHub } from '../proxy/support/config-source.js';

/** What the echo app behind `web` saw, as it answers it in JSON. */
export interface Echo {
  readonly version: string;
  readonly url: string;
  readonly host: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

export interface LiveReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The echo of the app that answered, when one did. */
  readonly echo: Echo | undefined;
}

export interface LiveRequest {
  readonly method?: string;
  /** Origin-form target, query included. */
  readonly target: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Host the caller names; default `web`. */
  readonly host?: string;
  /** The calling instance (a key of CALLERS); default `client-v1`. */
  readonly from?: CallerName;
}

/** The instances that call `web` in the cases: `client` v1 and v2 share one service account, `ext` is in another namespace. */
export const CALLERS = {
  'client-v1': { namespace: 'shop', service: 'client', version: 'v1' },
  'client-v2': { namespace: 'shop', service: 'client', version: 'v2' },
  'web-v1': { namespace: 'shop', service: 'web', version: 'v1' },
  ext: { namespace: 'other', service: 'ext', version: undefined },
} as const;
export type CallerName = keyof typeof CALLERS;

export interface LiveMeshOptions {
  /** Gives every sidecar a certificate from this CA: mTLS between sidecars (by `Mesh.spec.mtls.mode`). */
  readonly ca?: CertificateAuthority;
  /** Extras for every sidecar (e.g. an access-log sink). */
  readonly extras?: ProxyExtras;
}

/** Per-instance behaviour: `undefined` answers the echo. */
export type Misbehave = (req: SeenRequest) => Behaviour | undefined;

/**
 * The conformance cases' world on live sockets: `web` v1, v2, v3 (namespace `shop`), one echo app and
 * sidecar each, and the CALLERS' sidecars whose outbound ports the test calls. One static config hub
 * feeds them; `load` pushes a case's policies as the next snapshot (applied synchronously). With a
 * CA, every sidecar has its workload certificate and they speak mTLS as the Mesh says (default strict).
 */
export class LiveMesh {
  readonly apps = new Map<string, TestApp>();
  readonly sidecars = new Map<string, ProxySidecar>();
  readonly instances: InstanceInfo[] = [];
  readonly #hub = new StaticConfigHub();
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 64 });
  readonly #callers = new Map<CallerName, ProxySidecar>();
  readonly #options: LiveMeshOptions;
  #version = 0;
  #closing: Promise<void> | undefined;
  #yaml = '';
  /** Tests may make an instance misbehave (by app id, e.g. `web-v1`). */
  readonly misbehave = new Map<string, Misbehave>();

  private constructor(options: LiveMeshOptions) {
    this.#options = options;
  }

  static async start(versions: readonly string[] = ['v1', 'v2', 'v3'], options: LiveMeshOptions = {}): Promise<LiveMesh> {
    const mesh = new LiveMesh(options);
    try {
      for (const version of versions) await mesh.#startWeb(version);
      for (const [name, c] of Object.entries(CALLERS) as [CallerName, (typeof CALLERS)[CallerName]][]) {
        // web v1 calls through its own sidecar; the others are callers only (no app behind them).
        if (name === 'web-v1') continue;
        const info = instance(c.namespace, c.service, c.version);
        const sidecar = await mesh.#sidecar(info, 1);
        mesh.#callers.set(name, sidecar);
        mesh.instances.push({ ...info, inboundPort: sidecar.inboundPort, adminPort: sidecar.adminPort });
      }
      const web1 = mesh.sidecars.get('web-v1');
      if (web1) mesh.#callers.set('web-v1', web1);
    } catch (error) {
      await mesh.close();
      throw error;
    }
    return mesh;
  }

  #sidecar(info: InstanceInfo, appPort: number): Promise<ProxySidecar> {
    const ca = this.#options.ca;
    const identity = ca ? { identity: identityFrom(ca, info.identity) } : {};
    return startSidecar({ instance: info, appPort, outboundPort: 0, config: this.#hub.source(), ...identity }, this.#options.extras);
  }

  async #startWeb(version: string): Promise<void> {
    const id = `web-${version}`;
    const app = await startApp(id, (req) => this.misbehave.get(id)?.(req) ?? echo(version, req));
    this.apps.set(id, app);
    const info = instance('shop', 'web', version);
    const sidecar = await this.#sidecar(info, app.port);
    this.sidecars.set(id, sidecar);
    this.instances.push({ ...info, inboundPort: sidecar.inboundPort, adminPort: sidecar.adminPort });
  }

  /** Pushes policies (YAML, validated) as the next config version to every sidecar. */
  load(yaml: string): void {
    this.#yaml = yaml;
    this.#hub.push(snapshotOf(++this.#version, yaml, this.instances));
  }

  /** Pushes the same policies with these instances gone from the registry (as when they stop heartbeating). */
  withdraw(ids: readonly string[]): void {
    this.#hub.push(
      snapshotOf(
        ++this.#version,
        this.#yaml,
        this.instances.filter((i) => !ids.includes(i.id)),
      ),
    );
  }

  /** The admin port (metrics) of a caller's sidecar. */
  adminPort(caller: CallerName = 'client-v1'): number {
    return this.#callers.get(caller)!.adminPort;
  }

  call(r: LiveRequest): Promise<LiveReply> {
    return new Promise((resolve, reject) => {
      const req = request({
        agent: this.#agent,
        host: '127.0.0.1',
        port: this.#callers.get(r.from ?? 'client-v1')!.outboundPort,
        method: r.method ?? 'GET',
        path: r.target,
        headers: { ...r.headers, host: r.host ?? 'web' },
      });
      req.setTimeout(20_000, () => req.destroy(new Error(`${r.method ?? 'GET'} ${r.target} timed out`)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          let parsed: Echo | undefined;
          if (res.headers['content-type'] === 'application/json') parsed = JSON.parse(body) as Echo;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, echo: parsed });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Stops every sidecar (flushing their traces) and app; safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#agent.destroy();
      await Promise.all([...new Set([...this.#callers.values(), ...this.sidecars.values()])].map((s) => s.close()));
      await Promise.all([...this.apps.values()].map((a) => a.close()));
    })();
    return this.#closing;
  }
}

/** The SPIFFE ID a sidecar of this instance gets: `web` versions have their own service accounts, the others one per service. */
export function identityOf(namespace: string, service: string, version: string | undefined): string {
  return `spiffe://cluster.local/ns/${namespace}/sa/${service === 'web' ? `web-${version}` : service}`;
}

function instance(namespace: string, service: string, version: string | undefined): InstanceInfo {
  return {
    id: `${service}-${version ?? 'x'}-0`,
    namespace,
    service,
    version,
    host: '127.0.0.1',
    inboundPort: 0,
    servicePort: 8080,
    adminPort: 0,
    // One region; web v3 alone in zone b: nearest-locality failover keeps callers (zone a) on v1 and v2.
    locality: { region: 'r1', zone: service === 'web' && version === 'v3' ? 'b' : 'a' },
    identity: identityOf(namespace, service, version),
  };
}

function echo(version: string, req: SeenRequest): Behaviour {
  const body: Echo = { version, url: req.url, host: req.headers.host, headers: req.headers };
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}
