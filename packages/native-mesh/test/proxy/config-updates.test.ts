import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigSnapshot } from '../../src/protocol/types.js';
import { startSidecar } from '../../src/proxy/index.js';
import { startApp } from './support/app.js';
import { snapshotOf } from './support/config-source.js';
import { get, many, NS, SERVICES_YAML, startMesh, type Reply, type TestMesh, HEAVY_TEST_TIMEOUT_MS } from './support/mesh.js';

const split = (v1: number, v2: number) => `${SERVICES_YAML(['reviews', 'client'])}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: ${NS} }
spec:
  service: reviews
  rules:
    - destinations: [{ version: v1, weight: ${v1} }, { version: v2, weight: ${v2} }]
`;

describe('config updates', () => {
  let mesh: TestMesh | undefined;
  afterEach(async () => {
    await mesh?.close();
    mesh = undefined;
  });

  it(
    'applies config changes under steady load with zero failed requests',
    async () => {
      mesh = await startMesh(split(100, 0), [
        { service: 'reviews', version: 'v1', behave: () => ({ delayMs: 5 }) },
        { service: 'reviews', version: 'v2', behave: () => ({ delayMs: 5 }) },
      ]);
      let stop = false;
      const replies: Reply[] = [];
      const load = many(8, 8, async () => {
        while (!stop) replies.push(await mesh!.call('reviews', '/x'));
      });
      // Each version is in force while at least 10 requests complete, whatever the machine's speed.
      const afterMore = async (n: number) => {
        const target = replies.length + n;
        while (replies.length < target) await new Promise((r) => setTimeout(r, 5));
      };
      for (let i = 0; i < 10; i++) {
        await afterMore(10);
        mesh.update(i % 2 === 0 ? split(0, 100) : split(100, 0));
      }
      mesh.update(split(0, 100));
      await afterMore(10);
      stop = true;
      await load;
      console.log(
        `config updates: ${replies.length} requests across 11 config versions, ${replies.filter((r) => r.status !== 200).length} failed`,
      );
      expect(replies.length).toBeGreaterThanOrEqual(110);
      expect(replies.filter((r) => r.status !== 200)).toEqual([]);
      expect(mesh.client.configVersion).toBe(12);
      expect((await mesh.call('reviews', '/x')).body).toBe('reviews-v2-0');
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it('keeps serving the last good config when a snapshot cannot be compiled', async () => {
    const app = await startApp('reviews-v1-0');
    let push: (s: ConfigSnapshot) => void = () => undefined;
    const info = {
      id: 'client-0',
      namespace: NS,
      service: 'client',
      version: undefined,
      host: '127.0.0.1',
      inboundPort: 0,
      servicePort: 1,
      adminPort: 0,
      locality: undefined,
      identity: 'x',
    };
    const server = await startSidecar({
      instance: { ...info, id: 'reviews-v1-0', service: 'reviews', version: 'v1' },
      appPort: app.port,
      outboundPort: 0,
      config: { subscribe: () => undefined, close: async () => undefined },
    });
    const client = await startSidecar({
      instance: info,
      appPort: 1,
      outboundPort: 0,
      config: { subscribe: (cb) => (push = cb), close: async () => undefined },
    });
    try {
      const instances = [{ ...info, id: 'reviews-v1-0', service: 'reviews', version: 'v1', inboundPort: server.inboundPort }];
      const good = snapshotOf(1, split(1, 0), instances);
      push(good);
      const broken: ConfigSnapshot = JSON.parse(JSON.stringify({ ...snapshotOf(2, split(1, 0), instances) })) as ConfigSnapshot;
      const route = broken.policies.find((p) => p.kind === 'TrafficRoute')!;
      (route.spec as { rules: unknown[] }).rules.unshift({ matches: [{ path: { regex: '(' } }] });
      push(broken);
      expect(client.configVersion).toBe(1);
      const reply = await get(client.outboundPort, 'reviews', '/x');
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('reviews-v1-0');
      const config = (await (await fetch(`http://127.0.0.1:${client.adminPort}/config`)).json()) as { version: number };
      expect(config.version).toBe(1);
      // `/ready?version=N` (what `anymesh up` waits for): only with version N or later in force.
      const readyFor = async (v: number) => (await fetch(`http://127.0.0.1:${client.adminPort}/ready?version=${v}`)).status;
      expect([await readyFor(1), await readyFor(2)]).toEqual([200, 503]);
    } finally {
      await client.close();
      await server.close();
      await app.close();
    }
  });

  it('answers 503 no-config before the first snapshot and /ready only after it', async () => {
    const info = {
      id: 'c',
      namespace: NS,
      service: 'client',
      version: undefined,
      host: '127.0.0.1',
      inboundPort: 0,
      servicePort: 1,
      adminPort: 0,
      locality: undefined,
      identity: 'x',
    };
    const client = await startSidecar({
      instance: info,
      appPort: 1,
      outboundPort: 0,
      config: { subscribe: () => undefined, close: async () => undefined },
    });
    try {
      expect((await fetch(`http://127.0.0.1:${client.adminPort}/ready`)).status).toBe(503);
      const reply = await get(client.outboundPort, 'reviews', '/x');
      expect(reply.status).toBe(503);
      expect(reply.headers['x-anymesh-reason']).toBe('no-config');
      expect((await fetch(`http://127.0.0.1:${client.adminPort}/healthz`)).status).toBe(200);
    } finally {
      await client.close();
    }
  });
});
