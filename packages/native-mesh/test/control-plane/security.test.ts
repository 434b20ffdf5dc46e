import { request as httpsRequest } from 'node:https';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlPlaneClient, ControlPlaneIdentity } from '../../src/client/index.js';
import { startControlPlane, controlPlaneSpiffeId, type ControlPlane } from '../../src/control-plane/index.js';
import { createKeyAndCsr, createRootCA, signWorkloadCsr, spiffeIdOfCertificate } from '../../src/identity/index.js';
import type { ConfigSnapshot } from '../../src/protocol/types.js';
import { startSidecar, type ProxySidecar } from '../../src/proxy/index.js';
import { freePort } from '../../src/runner/index.js';
import { instance, postJson, tempStateDir, waitFor } from './support.js';

const TIMEOUT_MS = 60_000;
const SERVICES = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions: { v1: { labels: { version: v1 }, serviceAccount: reviews-v1 }, v2: { labels: { version: v2 } } }
`;
const REVIEWS_V1 = 'spiffe://cluster.local/ns/shop/sa/reviews-v1';
const REVIEWS = 'spiffe://cluster.local/ns/shop/sa/reviews';

describe('control-plane authentication and the certificate authority', () => {
  let cp: ControlPlane | undefined;
  let cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups = [];
    await cp?.close();
    cp = undefined;
  });
  const start = async () => {
    const state = await tempStateDir();
    cleanups.push(state.remove);
    cp = await startControlPlane({ stateDir: state.dir, policies: [{ file: 'services.yaml', text: SERVICES }] });
    return { cp, dir: state.dir };
  };

  it(
    'creates the CA, the admin token and the join secret on first start, private files 0600',
    async () => {
      const { dir, cp: first } = await start();
      for (const file of ['ca.key', 'admin-token', 'join-secret']) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o077).toBe(0);
      const token = first.adminToken;
      await first.close();
      cp = await startControlPlane({ stateDir: dir });
      expect(cp.adminToken).toBe(token);
    },
    TIMEOUT_MS,
  );

  it(
    'refuses admin and sidecar requests without credentials, and serves them with the admin token',
    async () => {
      const { cp } = await start();
      const sources = [{ file: 'services.yaml', text: SERVICES }];
      expect((await postJson(`${cp.url}/v1/policies`, { sources })).status).toBe(401);
      expect((await fetch(`${cp.url}/v1/registry`)).status).toBe(401);
      expect((await fetch(`${cp.url}/v1/policies`)).status).toBe(401);
      expect((await fetch(`${cp.url}/v1/config`)).status).toBe(401);
      expect((await postJson(`${cp.url}/v1/instances`, instance('a'))).status).toBe(401);
      const wrong = await fetch(`${cp.url}/v1/registry`, { headers: { authorization: 'Bearer not-the-token' } });
      expect(wrong.status).toBe(403);
      const ok = await fetch(`${cp.url}/v1/registry`, { headers: { authorization: `Bearer ${cp.adminToken}` } });
      expect(ok.status).toBe(200);
      expect((await fetch(`${cp.url}/healthz`)).status).toBe(200);
    },
    TIMEOUT_MS,
  );

  it(
    'issues a certificate for the service account of the version named, only with that identity’s join token',
    async () => {
      const { cp } = await start();
      const ask = async (version: string, token: string | undefined, asked = REVIEWS_V1) => {
        const { csrPem } = await createKeyAndCsr(asked);
        const response = await fetch(`${cp.url}/v1/certificates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ namespace: 'shop', service: 'reviews', version, csr: csrPem }),
        });
        return { status: response.status, body: (await response.json()) as { certificate?: string } };
      };
      const issued = await ask('v1', cp.joinToken(REVIEWS_V1));
      expect(issued.status).toBe(200);
      expect(spiffeIdOfCertificate(issued.body.certificate!)).toBe(REVIEWS_V1);
      expect((await ask('v1', undefined)).status).toBe(401);
      // The join token of another identity, and a CSR asking for another identity, are refused.
      expect((await ask('v1', cp.joinToken(REVIEWS))).status).toBe(403);
      expect((await ask('v2', cp.joinToken(REVIEWS), REVIEWS_V1)).status).toBe(400);
    },
    TIMEOUT_MS,
  );

  it(
    'bootstraps a sidecar with its join token, then serves it config over mTLS and refuses a registration as another identity',
    async () => {
      const { cp } = await start();
      const [inboundPort, adminPort] = [await freePort(), await freePort()];
      const self = instance('reviews-v1-0', { identity: REVIEWS_V1, inboundPort, adminPort });
      const identity = new ControlPlaneIdentity({
        url: cp.url,
        ca: cp.caBundle,
        controlPlaneId: controlPlaneSpiffeId(cp.trustDomain),
        joinToken: cp.joinToken(REVIEWS_V1),
        instance: self,
      });
      const client = new ControlPlaneClient({ url: cp.url, instance: self, auth: { tls: identity.tlsOptions } });
      const sidecar: ProxySidecar = await startSidecar({ instance: self, appPort: 1, outboundPort: 0, config: client, identity });
      cleanups.push(() => sidecar.close());
      await waitFor(() => sidecar.configVersion > 0 && cp!.instances().length === 1, 20_000, 'the sidecar to register and get config');
      expect(cp.instances()[0]).toMatchObject({ id: 'reviews-v1-0', identity: REVIEWS_V1 });

      // The same certificate cannot register an instance of another identity.
      const events: string[] = [];
      const impostor = new ControlPlaneClient({
        url: cp.url,
        instance: instance('reviews-v2-0', { version: 'v2', identity: REVIEWS_V1 }),
        auth: { tls: identity.tlsOptions },
        onEvent: (e) => events.push(e.type === 'registration-refused' ? e.reason : e.type),
      });
      let seen: ConfigSnapshot | undefined;
      impostor.subscribe((s) => (seen = s));
      cleanups.push(() => impostor.close());
      await waitFor(() => events.some((e) => e.startsWith('403')), 20_000, 'the registration to be refused');
      expect(seen).toBeDefined(); // reading config with a valid certificate is fine
      expect(cp.instances().map((i) => i.id)).toEqual(['reviews-v1-0']);
    },
    TIMEOUT_MS,
  );

  it(
    'keeps a sidecar registered through certificate rotations',
    async () => {
      const state = await tempStateDir();
      cleanups.push(state.remove);
      // Two-second certificates: the sidecar renews about every second.
      cp = await startControlPlane({ stateDir: state.dir, workloadCertTtlMs: 2_000, policies: [{ file: 's.yaml', text: SERVICES }] });
      const c = cp;
      const [inboundPort, adminPort] = [await freePort(), await freePort()];
      const self = instance('reviews-v1-0', { identity: REVIEWS_V1, inboundPort, adminPort });
      const options = { url: c.url, ca: c.caBundle, controlPlaneId: controlPlaneSpiffeId(c.trustDomain), instance: self };
      const identity = new ControlPlaneIdentity({ ...options, joinToken: c.joinToken(REVIEWS_V1) });
      const client = new ControlPlaneClient({ url: c.url, instance: self, auth: { tls: identity.tlsOptions } });
      let issued = 0;
      const sidecar = await startSidecar(
        { instance: self, appPort: 1, outboundPort: 0, config: client, identity },
        { onCertificate: (e) => void (e.type === 'issued' && issued++) },
      );
      cleanups.push(() => sidecar.close());
      await waitFor(() => issued >= 3 && c.instances().length === 1, 20_000, 'two renewals');
    },
    TIMEOUT_MS,
  );

  it(
    'renews a certificate for a source holding only a current certificate of that identity, without a join token',
    async () => {
      const state = await tempStateDir();
      cleanups.push(state.remove);
      // A lifetime far above the one-second expiry margin: the renewal below must go out with the
      // certificate, whatever the machine's load (two-second certificates leave no such margin).
      cp = await startControlPlane({ stateDir: state.dir, workloadCertTtlMs: 600_000, policies: [{ file: 's.yaml', text: SERVICES }] });
      const c = cp;
      const self = instance('reviews-v1-0', { identity: REVIEWS_V1 });
      const options = { url: c.url, ca: c.caBundle, controlPlaneId: controlPlaneSpiffeId(c.trustDomain), instance: self };
      const first = new ControlPlaneIdentity({ ...options, joinToken: c.joinToken(REVIEWS_V1) });
      const { keyPem, csrPem } = await createKeyAndCsr(REVIEWS_V1);
      const current = await first.fetchCertificate(csrPem);
      const renewer = new ControlPlaneIdentity({ ...options, joinToken: 'not-a-join-token' });
      renewer.onIssued(keyPem, current);
      const renewed = await renewer.fetchCertificate((await createKeyAndCsr(REVIEWS_V1)).csrPem);
      expect(spiffeIdOfCertificate(renewed)).toBe(REVIEWS_V1);
      // Without the certificate, the same bogus token gets nothing.
      const stranger = new ControlPlaneIdentity({ ...options, joinToken: 'not-a-join-token' });
      await expect(stranger.fetchCertificate((await createKeyAndCsr(REVIEWS_V1)).csrPem)).rejects.toThrow(/403/);
    },
    TIMEOUT_MS,
  );

  it(
    'lets a sidecar whose certificate expired before it renewed get a new one with its join token, and only with it',
    async () => {
      const state = await tempStateDir();
      cleanups.push(state.remove);
      cp = await startControlPlane({ stateDir: state.dir, workloadCertTtlMs: 1_500, policies: [{ file: 's.yaml', text: SERVICES }] });
      const c = cp;
      const self = instance('reviews-v1-0', { identity: REVIEWS_V1 });
      const options = { url: c.url, ca: c.caBundle, controlPlaneId: controlPlaneSpiffeId(c.trustDomain), instance: self };
      const late = async (joinToken: string) => {
        const identity = new ControlPlaneIdentity({ ...options, joinToken: c.joinToken(REVIEWS_V1) });
        const { keyPem, csrPem } = await createKeyAndCsr(REVIEWS_V1);
        const expiring = await identity.fetchCertificate(csrPem);
        const holder = new ControlPlaneIdentity({ ...options, joinToken });
        holder.onIssued(keyPem, expiring);
        // The renewal "ran late": the certificate is past its notAfter when the sidecar asks.
        await new Promise((resolve) => setTimeout(resolve, 1_600));
        return holder.fetchCertificate((await createKeyAndCsr(REVIEWS_V1)).csrPem);
      };
      expect(spiffeIdOfCertificate(await late(c.joinToken(REVIEWS_V1)))).toBe(REVIEWS_V1);
      await expect(late('not-a-join-token')).rejects.toThrow(/401|403/);
    },
    TIMEOUT_MS,
  );

  it(
    'treats a client certificate from another CA as no credentials at all',
    async () => {
      const { cp } = await start();
      const other = (await createRootCA('cluster.local')).ca;
      const { keyPem, csrPem } = await createKeyAndCsr(REVIEWS_V1);
      const foreign = { key: keyPem, cert: await signWorkloadCsr(other, csrPem, REVIEWS_V1, 3_600_000) };
      const status = await new Promise<number | string>((resolve) => {
        const req = httpsRequest({
          host: '127.0.0.1',
          port: cp.port,
          path: '/v1/config',
          ...foreign,
          ca: cp.caBundle,
          minVersion: 'TLSv1.3',
          checkServerIdentity: () => undefined,
          agent: false,
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        req.end();
      });
      expect(status).toBe(401);
    },
    TIMEOUT_MS,
  );

  it(
    'runs as an intermediate under a supplied root: workload chains verify against that root',
    async () => {
      const state = await tempStateDir();
      cleanups.push(state.remove);
      const { ca: root, keyPem } = await createRootCA('cluster.local');
      cp = await startControlPlane({
        stateDir: state.dir,
        caRoot: { certPem: root.certPem, keyPem },
        policies: [{ file: 's.yaml', text: SERVICES }],
      });
      expect(cp.caBundle).toBe(root.certPem);
      const self = instance('reviews-v2-0', { version: 'v2', identity: REVIEWS, inboundPort: 0, adminPort: 0 });
      const identity = new ControlPlaneIdentity({
        url: cp.url,
        ca: cp.caBundle,
        controlPlaneId: controlPlaneSpiffeId(cp.trustDomain),
        joinToken: cp.joinToken(REVIEWS),
        instance: self,
      });
      const chain = await identity.fetchCertificate((await createKeyAndCsr(REVIEWS)).csrPem);
      expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
      expect(spiffeIdOfCertificate(chain.slice(0, chain.indexOf('-----END CERTIFICATE-----') + 25))).toBe(REVIEWS);
    },
    TIMEOUT_MS,
  );
});
