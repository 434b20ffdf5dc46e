import { afterEach, describe, expect, it } from 'vitest';
import { MESH_DENY, send, TestMeshNodes, type TestNode } from './harness.js';

const POLICIES = `${MESH_DENY}---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: client, namespace: shop }
spec:
  ports: [{ port: 8080, protocol: http }]
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: reviews-access, namespace: shop }
spec:
  rules:
    - name: client-calls-reviews
      action: allow
      from: [{ service: client }]
      to: { service: reviews }
    - name: anyone-reads-public
      action: allow
      to: { service: reviews, paths: ['/public/*', '/admin/*'] }
    - name: admin-closed
      action: deny
      to: { service: reviews, paths: ['/admin/*'] }
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: reviews-dry-run, namespace: shop }
spec:
  mode: audit
  rules:
    - name: no-deletes
      action: deny
      to: { service: reviews, methods: [DELETE] }
`;

describe('access control at the inbound sidecar', () => {
  let mesh: TestMeshNodes;
  let client: TestNode;
  let reviews: TestNode;
  const log: string[] = [];

  async function start(): Promise<void> {
    mesh = new TestMeshNodes();
    reviews = await mesh.add({ namespace: 'shop', service: 'reviews', extras: { accessLog: { write: (l: string) => log.push(l) } } });
    client = await mesh.add({ namespace: 'shop', service: 'client', servicePort: 8080 });
    mesh.push(POLICIES);
  }
  afterEach(async () => {
    await mesh.close();
    log.length = 0;
  });

  it('denies with 403 and a JSON body naming the mesh default when no rule allows a caller without a verified identity', async () => {
    await start();
    const reply = await send(client.sidecar.outboundPort, 'reviews', '/private');
    expect(reply.status).toBe(403);
    expect(reply.headers['x-anymesh-reason']).toBe('access-denied');
    expect(JSON.parse(reply.body)).toMatchObject({
      error: 'access-denied',
      policy: null,
      rule: 'default',
      source: null,
      destination: 'shop/reviews',
    });
    expect(reviews.app.seen).toHaveLength(0);
  }, 60_000);

  it('ignores a spoofed source header: identity-based allows need a verified certificate', async () => {
    await start();
    // Straight to the inbound port, claiming to be the allowed caller.
    const spoofed = await send(reviews.sidecar.inboundPort, 'reviews', '/private', {
      headers: { 'x-anymesh-source-service': 'client', 'x-anymesh-source-version': 'v1' },
    });
    expect(spoofed.status).toBe(403);
    expect(JSON.parse(spoofed.body)).toMatchObject({ rule: 'default', source: null });
    expect(reviews.app.seen).toHaveLength(0);
  }, 60_000);

  it('lets a rule without sources allow anyone, and a deny rule win over it, naming the rule', async () => {
    await start();
    const open = await send(client.sidecar.outboundPort, 'reviews', '/public/book');
    expect(open.status).toBe(200);
    const closed = await send(client.sidecar.outboundPort, 'reviews', '/admin/users');
    expect(closed.status).toBe(403);
    expect(JSON.parse(closed.body)).toMatchObject({ policy: 'AccessPolicy/shop/reviews-access', rule: 'admin-closed' });
    expect(JSON.parse(closed.body).message).toContain('admin-closed');
    expect(reviews.app.seen.map((r) => r.url)).toEqual(['/public/book']);
  }, 60_000);

  it('decides on the normalized path, so dot segments, doubled slashes or an absolute-form target cannot slip past a deny rule', async () => {
    await start();
    for (const path of ['/public/../admin/users', '//admin/users', '/public/./../admin//users', 'http://reviews/admin/users']) {
      const reply = await send(reviews.sidecar.inboundPort, 'reviews', path);
      expect(reply.status, path).toBe(403);
      expect(JSON.parse(reply.body), path).toMatchObject({ rule: 'admin-closed' });
    }
    const reply = await send(reviews.sidecar.inboundPort, 'reviews', '/admin/../public/./book?x=1');
    expect(reply.status).toBe(200);
    // The app receives the path that was authorized.
    expect(reviews.app.seen.map((r) => r.url)).toEqual(['/public/book?x=1']);
  }, 60_000);

  it('reports what an audit-mode policy would deny without denying it, in metrics and access logs', async () => {
    await start();
    const reply = await send(client.sidecar.outboundPort, 'reviews', '/public/book', { method: 'DELETE' });
    expect(reply.status).toBe(200);
    await send(client.sidecar.outboundPort, 'reviews', '/private');
    const metrics = await (await fetch(`http://127.0.0.1:${reviews.sidecar.adminPort}/metrics`)).text();
    expect(metrics).toContain('anymesh_access_decisions_total{decision="audit_deny",policy="AccessPolicy/shop/reviews-dry-run"} 1');
    expect(metrics).toContain('anymesh_access_decisions_total{decision="allow",policy="AccessPolicy/shop/reviews-access"} 1');
    expect(metrics).toContain('anymesh_access_decisions_total{decision="deny",policy="default"} 1');
    const lines = log.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.method === 'DELETE')).toMatchObject({
      code: 200,
      access: 'allow',
      access_rule: 'AccessPolicy/shop/reviews-access#anyone-reads-public',
      audit: 'would-deny AccessPolicy/shop/reviews-dry-run#no-deletes',
    });
    expect(lines.find((l) => l.path === '/private')).toMatchObject({
      code: 403,
      access: 'deny',
      access_rule: 'default',
      reason: 'access-denied',
    });
  }, 60_000);
});
