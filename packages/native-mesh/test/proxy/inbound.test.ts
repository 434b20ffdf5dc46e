import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AnymeshProxyError, startSidecar, type ProxySidecar } from '../../src/proxy/index.js';
import type { InstanceInfo } from '../../src/protocol/types.js';
import { startApp, type TestApp } from './support/app.js';
import { get } from './support/mesh.js';

const SELF: InstanceInfo = {
  id: 'reviews-v1-0',
  namespace: 'shop',
  service: 'reviews',
  version: 'v1',
  host: '127.0.0.1',
  inboundPort: 0,
  servicePort: 9080,
  adminPort: 0,
  locality: undefined,
  identity: 'spiffe://cluster.local/ns/shop/sa/reviews',
};
const NO_CONFIG = { subscribe: () => undefined, close: async () => undefined };

describe('inbound listener', () => {
  let app: TestApp | undefined;
  let sidecar: ProxySidecar | undefined;
  afterEach(async () => {
    await sidecar?.close();
    await app?.close();
    sidecar = undefined;
    app = undefined;
  });

  it('answers the authorizer error without reaching the app when the authorizer denies the caller', async () => {
    app = await startApp('reviews-v1-0');
    sidecar = await startSidecar(
      { instance: SELF, appPort: app.port, outboundPort: 0, config: NO_CONFIG },
      {
        authorize: (caller) =>
          caller.service === 'intruder' ? new AnymeshProxyError('ACCESS_DENIED', 'intruder may not call reviews') : undefined,
      },
    );
    const denied = await new Promise<{ status: number; reason: string | undefined }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: sidecar!.inboundPort, path: '/x', headers: { 'x-anymesh-source-service': 'intruder' } },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, reason: res.headers['x-anymesh-reason'] as string | undefined });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(denied).toEqual({ status: 403, reason: 'access-denied' });
    expect(app.seen).toHaveLength(0);
    const allowed = await get(sidecar.inboundPort, 'reviews', '/y');
    expect(allowed.status).toBe(200);
    expect(app.seen.map((r) => r.url)).toEqual(['/y']);
  });

  it('answers 503 app-unavailable when the app does not accept connections', async () => {
    app = await startApp('gone');
    await app.close();
    sidecar = await startSidecar({ instance: SELF, appPort: app.port, outboundPort: 0, config: NO_CONFIG });
    const reply = await get(sidecar.inboundPort, 'reviews', '/x');
    expect(reply.status).toBe(503);
    expect(reply.headers['x-anymesh-reason']).toBe('app-unavailable');
    app = undefined;
  });
});
