import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { startSidecar, type ProxySidecar } from '../../src/proxy/index.js';
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
}

/** Per-instance behaviour: `undefined` answers the echo. */
export type Misbehave = (req: SeenRequest) => Behaviour | undefined;

/**
 * The conformance cases' world on live sockets: `web` v1, v2, v3 (namespace `shop`), one echo app and
 * sidecar each, and a `client` v1 sidecar whose outbound port the test calls. One static config hub
 * feeds them; `load` pushes a case's policies as the next snapshot (applied synchronously).
 */
export class LiveMesh {
  readonly apps = new Map<string, TestApp>();
  readonly sidecars = new Map<string, ProxySidecar>();
  readonly instances: InstanceInfo[] = [];
  readonly #hub = new StaticConfigHub();
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 64 });
  #client: ProxySidecar | undefined;
  #version = 0;
  /** Tests may make an instance misbehave (by app id, e.g. `web-v1`). */
  readonly misbehave = new Map<string, Misbehave>();

  static async start(versions: readonly string[] = ['v1', 'v2', 'v3']): Promise<LiveMesh> {
    const mesh = new LiveMesh();
    try {
      for (const version of versions) await mesh.#startWeb(version);
      mesh.#client = await startSidecar({
        instance: instance('client', 'v1', 0, 8080),
        appPort: 1,
        outboundPort: 0,
        config: mesh.#hub.source(),
      });
    } catch (error) {
      await mesh.close();
      throw error;
    }
    return mesh;
  }

  async #startWeb(version: string): Promise<void> {
    const id = `web-${version}`;
    const app = await startApp(id, (req) => this.misbehave.get(id)?.(req) ?? echo(version, req));
    this.apps.set(id, app);
    const info = instance('web', version, 0, 8080);
    const sidecar = await startSidecar({ instance: info, appPort: app.port, outboundPort: 0, config: this.#hub.source() });
    this.sidecars.set(id, sidecar);
    this.instances.push({ ...info, inboundPort: sidecar.inboundPort, adminPort: sidecar.adminPort });
  }

  /** Pushes policies (YAML, validated) as the next config version to every sidecar. */
  load(yaml: string): void {
    this.#hub.push(snapshotOf(++this.#version, yaml, this.instances));
  }

  get clientAdminPort(): number {
    return this.#client!.adminPort;
  }

  call(r: LiveRequest): Promise<LiveReply> {
    return new Promise((resolve, reject) => {
      const req = request({
        agent: this.#agent,
        host: '127.0.0.1',
        port: this.#client!.outboundPort,
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

  async close(): Promise<void> {
    this.#agent.destroy();
    await this.#client?.close();
    await Promise.all([...this.sidecars.values()].map((s) => s.close()));
    await Promise.all([...this.apps.values()].map((a) => a.close()));
  }
}

function instance(service: string, version: string, inboundPort: number, servicePort: number): InstanceInfo {
  return {
    id: `${service}-${version}-0`,
    namespace: 'shop',
    service,
    version,
    host: '127.0.0.1',
    inboundPort,
    servicePort,
    adminPort: 0,
    locality: undefined,
    // The cases' Service `web` gives each version its own service account; `client` has none.
    identity: `spiffe://cluster.local/ns/shop/sa/${service === 'web' ? `web-${version}` : service}`,
  };
}

function echo(version: string, req: SeenRequest): Behaviour {
  const body: Echo = { version, url: req.url, host: req.headers.host, headers: req.headers };
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}
