import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { startSidecar, type ProxySidecar } from '../../src/proxy/index.js';
import { snapshotOf, StaticConfigHub } from './support/config-source.js';
import { get, NS, SERVICES_YAML } from './support/mesh.js';

const policy = (spec: string) => `${SERVICES_YAML(['reviews', 'client'])}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficPolicy
metadata: { name: reviews, namespace: ${NS} }
spec:
  target: { service: reviews }
${spec}
`;

/** A client sidecar whose only `reviews` instance is whatever listens on `port` (standing in for a peer sidecar). */
async function clientTo(port: number, yaml: string): Promise<ProxySidecar> {
  const hub = new StaticConfigHub();
  const peer: InstanceInfo = {
    id: 'reviews-v1-0',
    namespace: NS,
    service: 'reviews',
    version: 'v1',
    host: '127.0.0.1',
    inboundPort: port,
    servicePort: 9080,
    adminPort: 1,
    locality: undefined,
    identity: `spiffe://cluster.local/ns/${NS}/sa/reviews`,
  };
  const self: InstanceInfo = { ...peer, id: 'client-v1-0', service: 'client', inboundPort: 0, adminPort: 0 };
  const sidecar = await startSidecar({ instance: self, appPort: 1, outboundPort: 0, config: hub.source() });
  hub.push(snapshotOf(1, yaml, [peer]));
  return sidecar;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return condition();
}

describe('connection timeouts', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('closes an idle upstream keep-alive connection after the idleTimeout', async () => {
    // The peer keeps connections for 2 minutes: only the sidecar can close this one within the test.
    const closed: Socket[] = [];
    const peer: Server = createServer({ keepAliveTimeout: 120_000 }, (_req, res) => res.end('ok'));
    peer.on('connection', (socket: Socket) => socket.once('close', () => closed.push(socket)));
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () => new Promise((resolve) => peer.close(resolve)),
      () => peer.closeAllConnections(),
    );
    const sidecar = await clientTo((peer.address() as AddressInfo).port, policy('  idleTimeout: 1s'));
    cleanups.push(() => sidecar.close());

    expect((await get(sidecar.outboundPort, 'reviews', '/x')).status).toBe(200);
    const answeredAt = Date.now();
    expect(await until(() => closed.length === 1, 30_000), 'the idle connection was closed by the sidecar').toBe(true);
    console.log(`idle upstream connection closed ${Date.now() - answeredAt} ms after the answer (idleTimeout 1s)`);
  }, 60_000);

  it('gives up connecting after the connectTimeout and answers 503 upstream-connect-failure', async () => {
    // A listener whose process is stopped: the kernel queues one or two handshakes, then drops SYNs,
    // so a further connect neither succeeds nor is refused: only the connect timeout ends it.
    const child: ChildProcess = spawn(
      process.execPath,
      ['-e', "const s=require('net').createServer().listen({port:0,host:'127.0.0.1',backlog:1},()=>console.log(s.address().port))"],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    child.kill('SIGSTOP');
    const fillers = Array.from({ length: 4 }, () => connect(port, '127.0.0.1').on('error', () => undefined));
    cleanups.push(() => fillers.forEach((s) => s.destroy()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sidecar = await clientTo(port, policy('  connectTimeout: 300ms\n  requestTimeout: 30s'));
    cleanups.push(() => sidecar.close());

    const reply = await get(sidecar.outboundPort, 'reviews', '/x');
    expect({ status: reply.status, reason: reply.headers['x-anymesh-reason'] }).toEqual({
      status: 503,
      reason: 'upstream-connect-failure',
    });
  }, 60_000);
});
