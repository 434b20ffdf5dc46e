import { afterEach, describe, expect, it } from 'vitest';
import { many, NS, SERVICES_YAML, startMesh, type TestMesh } from './support/mesh.js';

const POLICY = (failover: string) => `${SERVICES_YAML(['reviews', 'client'], ['v1'])}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficPolicy
metadata: { name: reviews, namespace: ${NS} }
spec:
  target: { service: reviews }
  outlierDetection: { consecutive5xx: 1, maxEjectionPercent: 100 }
  ${failover}
`;

const A = { region: 'eu', zone: 'eu-a' };
const B = { region: 'eu', zone: 'eu-b' };
const US = { region: 'us', zone: 'us-a' };

describe('locality failover', () => {
  let mesh: TestMesh | undefined;
  afterEach(async () => {
    await mesh?.close();
    mesh = undefined;
  });

  it('keeps traffic in the caller zone, fails over to the region when local instances are ejected, then to any', async () => {
    let localFails = false;
    let regionFails = false;
    mesh = await startMesh(
      POLICY('failover: { mode: nearest }'),
      [
        { service: 'reviews', version: 'v1', locality: A, behave: () => (localFails ? { status: 500 } : {}) },
        { service: 'reviews', version: 'v1', locality: B, behave: () => (regionFails ? { status: 500 } : {}) },
        { service: 'reviews', version: 'v1', locality: US },
      ],
      { locality: A },
    );
    const local = await many(30, 4, () => mesh!.call('reviews', '/x'));
    expect(new Set(local.map((r) => r.body))).toEqual(new Set(['reviews-v1-0']));
    localFails = true;
    await mesh.call('reviews', '/x');
    const region = await many(30, 4, () => mesh!.call('reviews', '/x'));
    expect(new Set(region.map((r) => r.body))).toEqual(new Set(['reviews-v1-1']));
    regionFails = true;
    await mesh.call('reviews', '/x');
    const anywhere = await many(30, 4, () => mesh!.call('reviews', '/x'));
    expect(new Set(anywhere.map((r) => r.body))).toEqual(new Set(['reviews-v1-2']));
  });

  it('follows the ordered list, and moves traffic when the preferred locality has no instances left', async () => {
    const yaml = POLICY('failover: { mode: ordered, order: [{ region: us }, { region: eu, zone: eu-b }] }');
    mesh = await startMesh(
      yaml,
      [
        { service: 'reviews', version: 'v1', locality: A },
        { service: 'reviews', version: 'v1', locality: B },
        { service: 'reviews', version: 'v1', locality: US },
      ],
      { locality: A },
    );
    const first = await many(20, 4, () => mesh!.call('reviews', '/x'));
    expect(new Set(first.map((r) => r.body))).toEqual(new Set(['reviews-v1-2']));
    mesh.update(
      yaml,
      mesh.instances.filter((i) => i.locality?.region !== 'us'),
    );
    const after = await many(20, 4, () => mesh!.call('reviews', '/x'));
    expect(new Set(after.map((r) => r.body))).toEqual(new Set(['reviews-v1-1']));
  });
});
