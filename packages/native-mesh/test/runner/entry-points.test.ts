import { join } from 'node:path';
import { loadTexts, meshSettings, readSources } from '@anymesh/core';
import { describe, expect, it } from 'vitest';
import { entryPointsOf, ingressAccess } from '../../src/runner/entry-points.js';
import { planReplicas } from '../../src/runner/plan.js';

const BOOKSTORE = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'bookstore');
const INGRESS = { namespace: 'anymesh-system', serviceAccount: 'ingress' };

async function bookstore(mtls?: 'disabled') {
  const { sources, diagnostics } = await readSources([BOOKSTORE]);
  const loaded = loadTexts(sources, diagnostics);
  expect(loaded.valid).toBe(true);
  const mesh = { ...meshSettings(loaded.set.mesh?.object), ...(mtls ? { mtlsMode: mtls } : {}) };
  return { set: loaded.set, mesh, replicas: planReplicas(loaded.set, mesh) };
}

describe('the entry points anymesh up prints', () => {
  it('offers only the bookstore services its AccessPolicies open to the ingress (frontend), one entry per service', async () => {
    const { set, mesh, replicas } = await bookstore();
    const entries = entryPointsOf(replicas, 'http://127.0.0.1:1', ingressAccess(set, mesh, INGRESS));
    expect(entries.map((e) => e.host)).toEqual([...new Set(replicas.map((r) => `${r.service}.${r.namespace}`))]);
    expect(entries.filter((e) => e.reachableFromIngress).map((e) => e.service)).toEqual(['frontend']);
  });

  it('opens nothing to the ingress without mTLS, when the policies allow by identity only', async () => {
    const { set, mesh, replicas } = await bookstore('disabled');
    const entries = entryPointsOf(replicas, 'http://127.0.0.1:1', ingressAccess(set, mesh, INGRESS));
    expect(entries.filter((e) => e.reachableFromIngress)).toEqual([]);
  });
});
