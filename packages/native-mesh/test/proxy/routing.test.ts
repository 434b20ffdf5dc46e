import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestChannel, type ProxyRequestMessage } from '../../src/proxy/index.js';
import { fiveSigma, many, NS, SERVICES_YAML, startMesh, type TestMesh, HEAVY_TEST_TIMEOUT_MS } from './support/mesh.js';

const POLICIES = `${SERVICES_YAML(['reviews', 'client'])}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: ${NS} }
spec:
  service: reviews
  rules:
    - name: split
      destinations: [{ version: v1, weight: 90 }, { version: v2, weight: 10 }]
`;

describe('outbound routing through real sidecars', () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    mesh = await startMesh(POLICIES, [
      { service: 'reviews', version: 'v1' },
      { service: 'reviews', version: 'v2' },
    ]);
  });
  afterAll(() => mesh.close());

  it('reaches the app through client and server sidecars with Host: <service>', async () => {
    const reply = await mesh.call('reviews', '/reviews/1');
    expect(reply.status).toBe(200);
    expect(['reviews-v1-0', 'reviews-v2-0']).toContain(reply.body);
  });

  it('accepts reviews:<port>, reviews.<namespace> and absolute-form targets', async () => {
    for (const host of ['reviews:9080', `reviews.${NS}`, `reviews.${NS}.svc.cluster.local`]) {
      expect((await mesh.call(host, '/x')).status).toBe(200);
    }
    const absolute = await mesh.call('reviews', '/abs?q=1', { absolute: true });
    expect(absolute.status).toBe(200);
    const app = mesh.apps.get(absolute.body)!;
    expect(app.seen.at(-1)!.url).toBe('/abs?q=1');
  });

  it('answers 404 with x-anymesh-reason: unknown-service for a service the mesh does not know', async () => {
    const reply = await mesh.call('nosuch', '/');
    expect(reply.status).toBe(404);
    expect(reply.headers['x-anymesh-reason']).toBe('unknown-service');
  });

  it(
    'splits 2,000 requests 90/10 between v1 and v2 within 5-sigma binomial bounds',
    async () => {
      const replies = await many(2000, 32, () => mesh.call('reviews', '/reviews/1'));
      expect(replies.every((r) => r.status === 200)).toBe(true);
      const v2 = replies.filter((r) => r.body === 'reviews-v2-0').length;
      const [lo, hi] = fiveSigma(2000, 0.1);
      console.log(`split: v2 got ${v2}/2000 = ${(v2 / 20).toFixed(2)}% (5-sigma bounds ${lo.toFixed(0)}..${hi.toFixed(0)})`);
      expect(v2).toBeGreaterThanOrEqual(lo);
      expect(v2).toBeLessThanOrEqual(hi);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it('counts requests in anymesh_requests_total with bounded labels', async () => {
    const text = await mesh.metrics();
    expect(text).toMatch(
      /anymesh_requests_total\{direction="outbound",source_service="client",source_version="v1",destination_service="reviews",destination_version="v1",response_code="200",mtls="false"\} \d+/,
    );
    expect(text).not.toContain('/reviews/1');
  });

  it('records the calling service on the server sidecar and publishes each request on the diagnostics channel', async () => {
    const messages: ProxyRequestMessage[] = [];
    const onMessage = (m: unknown) => messages.push(m as ProxyRequestMessage);
    requestChannel.subscribe(onMessage);
    try {
      await mesh.call('reviews', '/reviews/7?secret=1');
    } finally {
      requestChannel.unsubscribe(onMessage);
    }
    const outbound = messages.find((m) => m.direction === 'outbound' && m.path === '/reviews/7')!;
    expect(outbound).toMatchObject({ sidecar: 'client-v1-0', path: '/reviews/7', destinationService: 'reviews', status: 200, attempts: 1 });
    const server = mesh.sidecars.get(outbound.upstreamInstance!)!;
    const text = await (await fetch(`http://127.0.0.1:${server.adminPort}/metrics`)).text();
    expect(text).toMatch(
      /anymesh_requests_total\{direction="inbound",source_service="client",source_version="v1",destination_service="reviews",destination_version="v[12]",response_code="200",mtls="false"\}/,
    );
  });
});
