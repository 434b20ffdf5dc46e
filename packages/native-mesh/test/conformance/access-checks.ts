import { expect } from 'vitest';
import { compileAccess, type PolicySet } from '@anymesh/core';
import type { AccessExpectation } from '../../../adapters/test/conformance/case.js';
import { CALLERS, identityOf, type CallerName, type LiveMesh } from './live-mesh.js';

function callerOf(from: AccessExpectation[0]['from']): CallerName {
  const found = (Object.keys(CALLERS) as CallerName[]).find((name) => {
    const c = CALLERS[name];
    return c.namespace === (from.namespace ?? 'shop') && c.service === from.service && c.version === from.version;
  });
  if (!found) throw new Error(`no live caller for ${JSON.stringify(from)}; add it to CALLERS in live-mesh.ts`);
  return found;
}

/**
 * Sends each call of a case from the named caller's sidecar (mTLS: the server sees its verified
 * identity) and checks the destination sidecar's decision: 200 from the app, or 403 access-denied.
 * The case data is first checked against core's compileAccess, so it is the neutral decision.
 */
export async function checkAccessLive(mesh: LiveMesh, set: PolicySet, expectations: readonly AccessExpectation[]): Promise<number> {
  const decide = compileAccess(set);
  for (const [call, want] of expectations) {
    const from = callerOf(call.from);
    const c = CALLERS[from];
    const method = call.method ?? 'GET';
    const label = `${method} ${call.path} from ${from}`;
    const neutral = decide({
      identity: identityOf(c.namespace, c.service, c.version),
      namespace: 'shop',
      service: 'web',
      port: 8080,
      method,
      path: call.path,
    });
    expect(neutral.allowed ? 'allow' : 'deny', `${label}: the case agrees with core's compileAccess`).toBe(want);
    const reply = await mesh.call({ from, method, target: call.path, host: 'web.shop' });
    if (want === 'allow') expect(reply.status, label).toBe(200);
    else
      expect({ status: reply.status, reason: reply.headers['x-anymesh-reason'] }, label).toEqual({ status: 403, reason: 'access-denied' });
  }
  return expectations.length;
}
