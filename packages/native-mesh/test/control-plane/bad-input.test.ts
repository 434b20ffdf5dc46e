import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/index.js';
import { instance, tempStateDir } from './support.js';

/** Sends raw bytes, so bodies fetch would refuse to build can be tested too. */
function send(cp: ControlPlane, method: string, path: string, body: string, contentType = 'application/json') {
  return new Promise<{ status: number; body: { error?: { code: string; message: string } } }>((resolve, reject) => {
    const headers = { 'content-type': contentType, authorization: `Bearer ${cp.adminToken}` };
    const req = request(`${cp.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as never }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('control-plane HTTP input handling', () => {
  let cp: ControlPlane;
  let removeState: () => Promise<void>;
  beforeAll(async () => {
    const state = await tempStateDir();
    removeState = state.remove;
    cp = await startControlPlane({ stateDir: state.dir });
  });
  afterAll(async () => {
    await cp.close();
    await removeState();
  });

  it.each([
    ['POST', '/v1/instances', '{"id": "x",', 400, 'INVALID_JSON'],
    ['POST', '/v1/instances', '', 400, 'EMPTY_BODY'],
    ['POST', '/v1/instances', '[1, 2]', 400, 'INVALID_INSTANCE'],
    ['POST', '/v1/instances', '{"id": "a b", "inboundPort": 70000}', 400, 'INVALID_INSTANCE'],
    ['POST', '/v1/policies', '{"sources": "services.yaml"}', 400, 'INVALID_POLICIES'],
    ['POST', '/v1/policies', '{"sources": [{"file": "a.yaml"}]}', 400, 'INVALID_POLICIES'],
    ['POST', '/v1/policies', 'null', 400, 'INVALID_POLICIES'],
    ['GET', '/v1/config?after=abc', '', 400, 'INVALID_VERSION'],
    ['GET', '/v1/config?after=-1', '', 400, 'INVALID_VERSION'],
    ['GET', '/v1/nothing', '', 404, 'NOT_FOUND'],
    ['PUT', '/v1/policies', '{}', 405, 'METHOD_NOT_ALLOWED'],
    ['DELETE', '/v1/instances/%E0%A4%A', '', 400, 'INVALID_INSTANCE_ID'],
  ])('answers %s %s with body %j by %i %s', async (method, path, body, status, code) => {
    const answer = await send(cp, method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.body.error?.code).toBe(code);
    expect(answer.body.error?.message.length).toBeGreaterThan(10);
  });

  it('names every invalid field of a registration at once', async () => {
    const answer = await send(
      cp,
      'POST',
      '/v1/instances',
      JSON.stringify({ ...instance('ok'), service: 'Bad_Name', inboundPort: 0, adminPort: 'x' }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toMatch(/service .*inboundPort .*adminPort/);
  });

  it('refuses a body that is not declared as JSON with 415', async () => {
    const answer = await send(cp, 'POST', '/v1/policies', '{"sources": []}', 'text/plain');
    expect(answer.status).toBe(415);
  });

  it('refuses an oversized body with 413 without reading it all', async () => {
    const big = `{"sources": [{"file": "a.yaml", "text": "${'x'.repeat(17 * 1024 * 1024)}"}]}`;
    const answer = await send(cp, 'POST', '/v1/policies', big).catch((error: Error) => ({
      status: -1,
      body: { error: { code: error.message, message: '' } },
    }));
    // Either the 413 arrives, or the server cut the upload short; it never accepts it.
    expect([413, -1]).toContain(answer.status);
  });

  it('keeps serving after all of the above', async () => {
    const health = await fetch(`${cp.url}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { version: number }).version).toBe(cp.version);
  });
});
