import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rollout, RolloutState } from '@anymesh/core';
import { callWebhooks } from '../../src/rollout/webhooks.js';

const STATE = { phase: 'waiting', step: 2, attempt: 1 } as RolloutState;

function rolloutWith(webhooks: NonNullable<Rollout['spec']['webhooks']>): Rollout {
  return {
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'api-v2', namespace: 'shop' },
    spec: { service: 'api', from: 'v1', to: 'v2', strategy: { canary: { steps: [50] } }, webhooks },
  };
}

describe('rollout webhooks (real HTTP)', () => {
  let server: Server;
  let base: string;
  const bodies: unknown[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push({ path: req.url, type: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString()) });
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
        res.statusCode = req.url === '/fail' ? 503 : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs the rollout as JSON and passes the gate on 2xx', async () => {
    const rollout = rolloutWith([{ name: 'smoke', type: 'confirm-promotion', url: `${base}/ok` }]);
    expect(await callWebhooks(rollout, STATE, 'confirm-promotion')).toEqual({ ok: true, detail: 'smoke passed' });
    expect(bodies.at(-1)).toEqual({
      path: '/ok',
      type: 'application/json',
      body: { name: 'api-v2', namespace: 'shop', phase: 'waiting', step: 2, type: 'confirm-promotion', from: 'v1', to: 'v2' },
    });
  });

  it('halts the gate when any webhook of the type answers non-2xx, naming it and its status', async () => {
    const rollout = rolloutWith([
      { name: 'smoke', type: 'pre-rollout', url: `${base}/ok` },
      { name: 'load-test', type: 'pre-rollout', url: `${base}/fail` },
      { name: 'other-gate', type: 'confirm-promotion', url: `${base}/fail` },
    ]);
    expect(await callWebhooks(rollout, STATE, 'pre-rollout')).toEqual({ ok: false, detail: 'load-test answered 503' });
  });

  it('halts the gate when the answer does not come within the timeout', async () => {
    const rollout = rolloutWith([{ name: 'slow', type: 'pre-rollout', url: `${base}/slow`, timeout: '200ms' }]);
    const started = Date.now();
    expect(await callWebhooks(rollout, STATE, 'pre-rollout')).toEqual({ ok: false, detail: 'slow failed: no answer within 200 ms' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('halts the gate when nothing listens, saying why', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const rollout = rolloutWith([{ name: 'gone', type: 'pre-rollout', url: `http://127.0.0.1:${port}/hook` }]);
    expect(await callWebhooks(rollout, STATE, 'pre-rollout')).toEqual({ ok: false, detail: 'gone failed: ECONNREFUSED' });
  });

  it('passes a gate that has no webhook of its type', async () => {
    expect(await callWebhooks(rolloutWith([]), STATE, 'confirm-promotion')).toEqual({ ok: true, detail: 'no confirm-promotion webhook' });
  });
});
