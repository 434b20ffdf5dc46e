import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAccess, loadTexts, serviceAccountOf, spiffeId, type AccessDecision, type Service } from '@anymesh/core';
import { createRootCA, type CertificateAuthority } from '../../src/identity/index.js';
import { credentials, direct, identityFrom } from '../identity/support/tls-mesh.js';
import { many } from '../proxy/support/mesh.js';
import { send, TestMeshNodes, type TestNode } from './harness.js';

/*
 * The bookstore's access policies, enforced by real sidecars over strict mTLS, against core's
 * neutral decisions for every source × destination × method × path. Only mesh.yaml, services.yaml
 * and access.yaml are loaded: routes would rewrite or fault some requests, and this test is about
 * who may call what, on the path the destination receives.
 */
const BOOKSTORE = new URL('../../../../examples/bookstore/', import.meta.url);
const FILES = ['mesh.yaml', 'services.yaml', 'access.yaml'];
const SOURCES_TEXT = FILES.map((file) => ({ file: `examples/bookstore/${file}`, text: readFileSync(new URL(file, BOOKSTORE), 'utf8') }));
const YAML = SOURCES_TEXT.map((s) => s.text).join('\n---\n');

const NS = 'bookstore';
const METHODS = ['GET', 'POST', 'DELETE'] as const;
/** Local answers that say nothing about access (a TLS handshake slower than the 1 s connect timeout on a loaded machine): sent again. */
const TRANSIENT = new Set(['upstream-connect-failure', 'no-healthy-upstream', 'request-timeout']);
const MAX_SENDS = 5;
const PATHS = ['/healthz', '/reviews/1', '/payments/charge', '/admin/ratings'] as const;

interface Caller {
  readonly namespace: string;
  readonly service: string;
  readonly version?: string;
}

/** Every bookstore workload, plus callers the policies name or must refuse. */
const CALLERS: readonly Caller[] = [
  { namespace: NS, service: 'frontend', version: 'v1' },
  { namespace: NS, service: 'catalog', version: 'v1' },
  { namespace: NS, service: 'inventory', version: 'v1' },
  { namespace: NS, service: 'reviews', version: 'v1' },
  { namespace: NS, service: 'reviews', version: 'v2' },
  { namespace: NS, service: 'reviews', version: 'v3' },
  { namespace: NS, service: 'ratings', version: 'v1' },
  { namespace: NS, service: 'checkout', version: 'v1' },
  { namespace: NS, service: 'payments', version: 'v1' },
  { namespace: 'anymesh-system', service: 'ingress' },
  { namespace: 'monitoring', service: 'prometheus' },
  { namespace: 'elsewhere', service: 'stranger' },
];

describe('bookstore access matrix through real sidecars over strict mTLS', () => {
  const loaded = loadTexts(SOURCES_TEXT);
  const decide = compileAccess(loaded.set);
  const services = new Map([...loaded.set.services.values()].map((s) => [s.object.metadata.name, s.object as Service]));
  const identityOf = (c: Caller) => {
    const service = c.namespace === NS ? services.get(c.service) : undefined;
    return spiffeId('cluster.local', c.namespace, service ? serviceAccountOf(service, c.version) : c.service);
  };
  const portOf = (service: string) => services.get(service)?.spec.ports[0]?.port ?? 9080;

  let ca: CertificateAuthority;
  const mesh = new TestMeshNodes();
  const nodes = new Map<Caller, TestNode>();

  beforeAll(async () => {
    expect(loaded.valid).toBe(true);
    ca = (await createRootCA('cluster.local')).ca;
    for (const caller of CALLERS) {
      const service = caller.namespace === NS ? services.get(caller.service) : undefined;
      const node = await mesh.add({
        namespace: caller.namespace,
        service: caller.service,
        ...(caller.version ? { version: caller.version } : {}),
        servicePort: portOf(caller.service),
        serviceAccount: service ? serviceAccountOf(service, caller.version) : caller.service,
        identity: identityFrom(ca, identityOf(caller)),
      });
      nodes.set(caller, node);
    }
    mesh.push(YAML);
  }, 180_000);
  afterAll(() => mesh.close(), 180_000);

  it('has an oracle that agrees with decisions read off access.yaml by hand (the sidecars also use compileAccess)', () => {
    const by = (service: string, version?: string) => CALLERS.find((c) => c.service === service && c.version === version)!;
    const outside = (namespace: string) => CALLERS.find((c) => c.namespace === namespace)!;
    // [caller, destination, method, path, allowed] under default deny.
    const table: readonly [Caller, string, string, string, boolean][] = [
      [by('frontend', 'v1'), 'catalog', 'GET', '/healthz', true],
      [by('frontend', 'v1'), 'catalog', 'POST', '/healthz', false],
      [by('frontend', 'v1'), 'reviews', 'GET', '/reviews/1', true],
      [by('frontend', 'v1'), 'reviews', 'GET', '/admin/ratings', false],
      [by('frontend', 'v1'), 'reviews', 'POST', '/reviews/1', false],
      [by('frontend', 'v1'), 'checkout', 'POST', '/payments/charge', true],
      [by('frontend', 'v1'), 'payments', 'POST', '/payments/charge', false],
      [by('catalog', 'v1'), 'inventory', 'DELETE', '/admin/ratings', true],
      [by('reviews', 'v1'), 'ratings', 'GET', '/healthz', false],
      [by('reviews', 'v2'), 'ratings', 'GET', '/reviews/1', true],
      [by('reviews', 'v3'), 'ratings', 'POST', '/reviews/1', false],
      [by('checkout', 'v1'), 'payments', 'POST', '/payments/charge', true],
      [by('checkout', 'v1'), 'payments', 'GET', '/payments/charge', false],
      [outside('monitoring'), 'ratings', 'GET', '/healthz', true],
      [outside('monitoring'), 'ratings', 'GET', '/reviews/1', false],
      // Audit mode only reports: the default (deny) decides.
      [by('ratings', 'v1'), 'ratings', 'DELETE', '/admin/ratings', false],
      [outside('anymesh-system'), 'frontend', 'GET', '/healthz', true],
      [outside('elsewhere'), 'frontend', 'GET', '/healthz', false],
    ];
    for (const [caller, service, method, path, allowed] of table) {
      const request = { identity: identityOf(caller), namespace: NS, service, port: portOf(service), method, path };
      expect(decide(request).allowed, `${caller.namespace}/${caller.service} ${method} ${service}${path}`).toBe(allowed);
    }
  });

  it('allows and denies exactly what compileAccess decides, for every source, destination, method and path', async () => {
    const destinations = [...services.keys()];
    const cases = CALLERS.flatMap((caller) =>
      destinations.flatMap((destination) => METHODS.flatMap((method) => PATHS.map((path) => ({ caller, destination, method, path })))),
    );
    const mismatches: string[] = [];
    let allowed = 0;
    let retried = 0;
    await many(cases.length, 4, async (i) => {
      const { caller, destination, method, path } = cases[i]!;
      const expected: AccessDecision = decide({
        identity: identityOf(caller),
        namespace: NS,
        service: destination,
        port: portOf(destination),
        method,
        path,
      });
      let reply = await send(nodes.get(caller)!.sidecar.outboundPort, `${destination}.${NS}`, path, { method });
      for (let n = 1; n < MAX_SENDS && TRANSIENT.has(String(reply.headers['x-anymesh-reason'])); n++) {
        retried += 1;
        await new Promise((r) => setTimeout(r, 200 * n));
        reply = await send(nodes.get(caller)!.sidecar.outboundPort, `${destination}.${NS}`, path, { method });
      }
      const who = `${caller.namespace}/${caller.service}${caller.version ? ` ${caller.version}` : ''} ${method} ${destination}${path}`;
      if (expected.allowed) {
        allowed += 1;
        if (reply.status !== 200) mismatches.push(`${who}: expected allowed, got ${reply.status} ${reply.body.trim()}`);
        return;
      }
      const body = reply.status === 403 ? (JSON.parse(reply.body) as { policy: string | null; rule: string | number }) : undefined;
      const rule = expected.rule === undefined ? 'default' : (expected.rule.name ?? expected.rule.index);
      if (body === undefined || body.policy !== (expected.rule?.policy ?? null) || body.rule !== rule) {
        mismatches.push(`${who}: expected denied by ${expected.rule?.policy ?? ''}#${rule}, got ${reply.status} ${reply.body.trim()}`);
      }
    });
    expect(mismatches).toEqual([]);
    // The matrix exercises both outcomes, not only the default.
    expect(allowed).toBeGreaterThan(20);
    expect(cases.length - allowed).toBeGreaterThan(allowed);
    console.log(
      `bookstore access matrix: ${cases.length} requests, ${allowed} allowed, ${cases.length - allowed} denied, all as compileAccess decides (${retried} sent again after a transient local 503)`,
    );
  }, 300_000);

  it('decides on the certificate, not on a spoofed source header', async () => {
    const ratings = CALLERS.find((c) => c.service === 'ratings')!;
    const payments = nodes.get(CALLERS.find((c) => c.service === 'payments')!)!;
    // ratings' own valid certificate, claiming in the headers to be checkout (which may charge).
    const reply = await direct(payments.sidecar.inboundPort, {
      tls: { ca: ca.certPem, ...(await credentials(ca, identityOf(ratings))) },
      headers: { host: 'payments', 'x-anymesh-source-service': 'checkout', 'x-anymesh-source-version': 'v1' },
    });
    expect(reply).toMatchObject({ status: 403 });
    expect(JSON.parse((reply as { body: string }).body)).toMatchObject({ rule: 'default', source: identityOf(ratings) });
  }, 60_000);
});
