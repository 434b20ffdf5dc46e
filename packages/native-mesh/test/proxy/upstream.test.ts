import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from './support/app.js';
import { many, NS, SERVICES_YAML, startMesh, type Reply, type TestMesh } from './support/mesh.js';

const withPolicy = (policy: string, versions: string[] = ['v1']) => `${SERVICES_YAML(['reviews', 'client'], versions)}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficPolicy
metadata: { name: reviews, namespace: ${NS} }
spec:
  target: { service: reviews }
  ${policy}
`;

const countBy = (replies: readonly Reply[]) => {
  const counts = new Map<string, number>();
  for (const r of replies) counts.set(r.body, (counts.get(r.body) ?? 0) + 1);
  return counts;
};

describe('circuit breaking, outlier detection and load balancing', () => {
  let mesh: TestMesh | undefined;
  afterEach(async () => {
    await mesh?.close();
    mesh = undefined;
  });

  it('rejects requests beyond maxConnections + maxPendingRequests with 503 circuit-breaker-max-pending-requests before the admitted ones finish', async () => {
    mesh = await startMesh(withPolicy('circuitBreaker: { maxConnections: 1, maxPendingRequests: 1 }'), [
      { service: 'reviews', version: 'v1', behave: () => ({ delayMs: 400 }) },
    ]);
    const order: number[] = [];
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        mesh!.call('reviews', '/x').then((r) => {
          order.push(r.status);
          return r;
        }),
      ),
    );
    const rejected = replies.filter((r) => r.status === 503);
    expect(rejected).toHaveLength(3);
    expect(rejected.every((r) => r.headers['x-anymesh-reason'] === 'circuit-breaker-max-pending-requests')).toBe(true);
    expect(order.slice(0, 3)).toEqual([503, 503, 503]);
    expect(mesh.apps.get('reviews-v1-0')!.seen).toHaveLength(2);
    expect(await mesh.metrics()).toMatch(/anymesh_circuit_breaker_rejections_total\{[^}]*limit="max-pending-requests"\} 3/);
  });

  it('rejects requests beyond maxRequests with 503 circuit-breaker-max-requests', async () => {
    mesh = await startMesh(withPolicy('circuitBreaker: { maxRequests: 2 }'), [
      { service: 'reviews', version: 'v1', behave: () => ({ delayMs: 300 }) },
    ]);
    const replies = await Promise.all(Array.from({ length: 6 }, () => mesh!.call('reviews', '/x')));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(2);
    expect(replies.filter((r) => r.headers['x-anymesh-reason'] === 'circuit-breaker-max-requests')).toHaveLength(4);
  });

  it('ejects an instance after consecutive 5xx and shifts its traffic to the healthy one', async () => {
    mesh = await startMesh(
      withPolicy(
        'outlierDetection: { consecutive5xx: 3, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50 }\n  loadBalancer: { algorithm: round-robin }',
      ),
      [
        { service: 'reviews', version: 'v1', behave: () => ({ status: 500 }) },
        { service: 'reviews', version: 'v1' },
      ],
    );
    const replies = await many(100, 1, () => mesh!.call('reviews', '/x'));
    expect(mesh.apps.get('reviews-v1-0')!.seen).toHaveLength(3);
    expect(replies.slice(10).every((r) => r.status === 200 && r.body === 'reviews-v1-1')).toBe(true);
    expect(await mesh.metrics()).toMatch(/anymesh_outlier_ejections_total\{destination_service="reviews",destination_version="\*"\} 1/);
  });

  it('never ejects more than maxEjectionPercent of the instances', async () => {
    mesh = await startMesh(withPolicy('outlierDetection: { consecutive5xx: 1, maxEjectionPercent: 50 }'), [
      { service: 'reviews', version: 'v1', behave: () => ({ status: 500 }) },
      { service: 'reviews', version: 'v1', behave: () => ({ status: 500 }) },
    ]);
    await many(40, 1, () => mesh!.call('reviews', '/x'));
    const seen = [...mesh.apps.values()].map((a) => a.seen.length).sort((a, b) => a - b);
    expect(seen[0]).toBe(1);
    expect(seen[1]).toBe(39);
  });

  it('keeps each x-user value on one instance with consistent hashing, and keeps keys in place when another instance leaves', async () => {
    mesh = await startMesh(withPolicy('loadBalancer: { algorithm: consistent-hash, consistentHash: { header: x-user } }'), [
      { service: 'reviews', version: 'v1' },
      { service: 'reviews', version: 'v1' },
      { service: 'reviews', version: 'v1' },
    ]);
    const users = Array.from({ length: 30 }, (_, i) => `user-${i}`);
    const owner = new Map<string, string>();
    for (const user of users) {
      const replies = await many(8, 4, () => mesh!.call('reviews', '/x', { headers: { 'x-user': user } }));
      expect(new Set(replies.map((r) => r.body)).size).toBe(1);
      owner.set(user, replies[0]!.body);
    }
    expect(new Set(owner.values()).size).toBeGreaterThan(1);
    const leaving = 'reviews-v1-2';
    mesh.update(
      withPolicy('loadBalancer: { algorithm: consistent-hash, consistentHash: { header: x-user } }'),
      mesh.instances.filter((i) => i.id !== leaving),
    );
    for (const user of users) {
      const reply = await mesh.call('reviews', '/x', { headers: { 'x-user': user } });
      if (owner.get(user) !== leaving) expect(reply.body).toBe(owner.get(user));
      else expect(reply.body).not.toBe(leaving);
    }
  });

  it('spreads least-request and random load over every instance', async () => {
    for (const algorithm of ['least-request', 'random']) {
      mesh = await startMesh(withPolicy(`loadBalancer: { algorithm: ${algorithm} }`), [
        { service: 'reviews', version: 'v1' },
        { service: 'reviews', version: 'v1' },
      ]);
      const counts = countBy(await many(200, 8, () => mesh!.call('reviews', '/x')));
      expect(counts.size).toBe(2);
      await mesh.close();
      mesh = undefined;
    }
  });

  it('closes a connection after maxRequestsPerConnection requests', async () => {
    mesh = await startMesh(withPolicy('circuitBreaker: { maxRequestsPerConnection: 2 }'), [{ service: 'reviews', version: 'v1' }]);
    const app = mesh.apps.get('reviews-v1-0')!;
    // Point the client straight at the app so the app sees the client sidecar's upstream connections.
    mesh.update(
      withPolicy('circuitBreaker: { maxRequestsPerConnection: 2 }'),
      mesh.instances.map((i) => ({ ...i, inboundPort: app.port })),
    );
    await many(10, 1, () => mesh!.call('reviews', '/x'));
    const perConnection = new Map<number, number>();
    for (const r of app.seen) perConnection.set(r.remotePort, (perConnection.get(r.remotePort) ?? 0) + 1);
    expect(perConnection.size).toBe(5);
    expect([...perConnection.values()].every((n) => n === 2)).toBe(true);
  });

  it('retries connect failures on another instance and ejects the unreachable one (gateway errors)', async () => {
    const yaml = `${withPolicy('outlierDetection: { consecutive5xx: 0, consecutiveGatewayErrors: 2, maxEjectionPercent: 50 }\n  loadBalancer: { algorithm: round-robin }')}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: ${NS} }
spec:
  service: reviews
  rules:
    - retries: { attempts: 1, on: [connect-failure], backoff: { baseInterval: 1ms } }
`;
    mesh = await startMesh(yaml, [{ service: 'reviews', version: 'v1' }]);
    const dead = await startApp('dead');
    await dead.close();
    mesh.update(yaml, [...mesh.instances, { ...mesh.instances[0]!, id: 'reviews-v1-dead', inboundPort: dead.port }]);
    const replies = await many(50, 1, () => mesh!.call('reviews', '/x'));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const text = await mesh.metrics();
    expect(text).toMatch(/anymesh_outlier_ejections_total\{[^}]*\} 1/);
    expect(text).toMatch(/anymesh_retries_total\{[^}]*\} 2\n/);
  });

  it('keeps each cookie value on one instance with cookie hashing', async () => {
    mesh = await startMesh(withPolicy('loadBalancer: { algorithm: consistent-hash, consistentHash: { cookie: { name: session } } }'), [
      { service: 'reviews', version: 'v1' },
      { service: 'reviews', version: 'v1' },
      { service: 'reviews', version: 'v1' },
    ]);
    const owners = new Set<string>();
    for (let user = 0; user < 12; user++) {
      const replies = await many(5, 5, () => mesh!.call('reviews', '/x', { headers: { cookie: `theme=dark; session=s${user}` } }));
      expect(new Set(replies.map((r) => r.body)).size).toBe(1);
      owners.add(replies[0]!.body);
    }
    expect(owners.size).toBeGreaterThan(1);
  });
});
