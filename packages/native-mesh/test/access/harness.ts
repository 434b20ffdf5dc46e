import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { SidecarOptions } from '../../src/protocol/sidecar.js';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { startSidecar, type ProxyExtras, type ProxySidecar } from '../../src/proxy/index.js';
import { startApp, type Behaviour, type SeenRequest, type TestApp } from '../proxy/support/app.js';
import { snapshotOf, StaticConfigHub } from '../proxy/support/config-source.js';

/** One instance on 127.0.0.1: a test app and its sidecar. */
export interface TestNode {
  readonly info: InstanceInfo;
  readonly app: TestApp;
  readonly sidecar: ProxySidecar;
}

export interface NodeSpec {
  readonly namespace: string;
  readonly service: string;
  readonly version?: string;
  readonly servicePort?: number;
  readonly serviceAccount?: string;
  readonly behave?: (req: SeenRequest) => Behaviour;
  readonly extras?: ProxyExtras;
  readonly identity?: SidecarOptions['identity'];
}

/** Sidecars fed by one static config; `push` sends the policies with the live instance list. */
export class TestMeshNodes {
  readonly hub = new StaticConfigHub();
  readonly nodes: TestNode[] = [];
  #version = 0;

  async add(spec: NodeSpec): Promise<TestNode> {
    const id = `${spec.namespace}-${spec.service}-${spec.version ?? 'x'}-${this.nodes.length}`;
    const app = await startApp(id, spec.behave);
    const base: InstanceInfo = {
      id,
      namespace: spec.namespace,
      service: spec.service,
      version: spec.version,
      host: '127.0.0.1',
      inboundPort: 0,
      servicePort: spec.servicePort ?? 9080,
      adminPort: 0,
      locality: undefined,
      identity: `spiffe://cluster.local/ns/${spec.namespace}/sa/${spec.serviceAccount ?? spec.service}`,
    };
    const options: SidecarOptions = {
      instance: base,
      appPort: app.port,
      outboundPort: 0,
      config: this.hub.source(),
      ...(spec.identity ? { identity: spec.identity } : {}),
    };
    const sidecar = await startSidecar(options, spec.extras);
    const node = { info: { ...base, inboundPort: sidecar.inboundPort, adminPort: sidecar.adminPort }, app, sidecar };
    this.nodes.push(node);
    return node;
  }

  push(yaml: string): void {
    this.hub.push(
      snapshotOf(
        ++this.#version,
        yaml,
        this.nodes.map((n) => n.info),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.sidecar.close()));
    await Promise.all(this.nodes.map((n) => n.app.close()));
  }
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request to a port (an outbound listener: `host` names the destination service). */
export function send(
  port: number,
  host: string,
  path: string,
  options: { method?: string; headers?: OutgoingHttpHeaders } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { ...options.headers, host } });
    req.setTimeout(20_000, () => req.destroy(new Error('test call timed out')));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls until `check` passes or the deadline passes (then throws its last error). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export const MESH_DENY = `apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: test }
spec:
  defaultAccess: deny
  observability:
    accessLogs: { enabled: true }
`;
