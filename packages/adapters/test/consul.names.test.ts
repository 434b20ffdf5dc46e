import { describe, expect, it } from 'vitest';
import { translateConsul } from '../src/consul/index.js';
import { evaluateConsulRoute, meshState } from './evaluators/index.js';
import { loadValid } from './consul-support.js';
import { rejectedNames, sharedNames } from './support/manifest-names.js';

const service = (name: string) => `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ${name}, namespace: demo }
spec:
  ports: [{ port: 8080 }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } }, v3: { labels: { version: v3 } } }
`;

const get = (svc: string, path: string) => ({ namespace: 'demo', service: svc, request: { method: 'GET', path, headers: {}, query: {} } });

describe('Consul generated names', () => {
  it('gives an explicit rule named rule-1 and the unnamed rule at index 1 two splitters (regression: one overwrote the other)', () => {
    const set = loadValid(
      `${service('web')}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: demo }
spec:
  service: web
  rules:
    - name: rule-1
      matches: [{ path: { exact: /a } }]
      destinations: [{ version: v1, weight: 1 }, { version: v2, weight: 1 }]
    - matches: [{ path: { exact: /b } }]
      destinations: [{ version: v2, weight: 1 }, { version: v3, weight: 3 }]
`,
      'names.yaml',
    );
    const { manifests } = translateConsul(set);
    expect(sharedNames(manifests)).toEqual([]);
    const versions = (path: string) => evaluateConsulRoute(meshState(set, manifests), get('web', path));
    expect(versions('/a')).toMatchObject({
      targets: [
        { version: 'v1', share: 0.5 },
        { version: 'v2', share: 0.5 },
      ],
    });
    expect(versions('/b')).toMatchObject({
      targets: [
        { version: 'v2', share: 0.25 },
        { version: 'v3', share: 0.75 },
      ],
    });
  });

  it('keeps the virtual services of service a rule b-split-c and service a-split-b rule c apart', () => {
    const route = (svc: string, rule: string, weights: [number, number]) => `---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: ${svc}, namespace: demo }
spec:
  service: ${svc}
  rules: [{ name: ${rule}, destinations: [{ version: v1, weight: ${weights[0]} }, { version: v2, weight: ${weights[1]} }] }]
`;
    const set = loadValid(
      `${service('a')}---${service('a-split-b')}${route('a', 'b-split-c', [1, 3])}${route('a-split-b', 'c', [3, 1])}`,
      'x.yaml',
    );
    const { manifests } = translateConsul(set);
    expect(sharedNames(manifests)).toEqual([]);
    expect(evaluateConsulRoute(meshState(set, manifests), get('a', '/'))).toMatchObject({
      targets: [
        { service: 'a', share: 0.25 },
        { service: 'a', share: 0.75 },
      ],
    });
    expect(evaluateConsulRoute(meshState(set, manifests), get('a-split-b', '/'))).toMatchObject({
      targets: [
        { service: 'a-split-b', share: 0.75 },
        { service: 'a-split-b', share: 0.25 },
      ],
    });
  });

  it('keeps a virtual service name of a long service and rule name within 63 characters, distinct per rule', () => {
    const long = 'a'.repeat(60);
    const set = loadValid(
      `${service(long)}---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: r, namespace: demo }
spec:
  service: ${long}
  rules:
    - { matches: [{ path: { exact: /a } }], destinations: [{ version: v1 }, { version: v2 }] }
    - { destinations: [{ version: v2 }, { version: v3 }] }
`,
      'long.yaml',
    );
    const { manifests } = translateConsul(set);
    const splitters = manifests.filter((m) => m.kind === 'ServiceSplitter').map((m) => m.metadata.name);
    expect(splitters).toHaveLength(2);
    expect(new Set(splitters).size).toBe(2);
    for (const name of splitters) expect(name.length).toBeLessThanOrEqual(63);
    expect(sharedNames(manifests)).toEqual([]);
    expect(rejectedNames(manifests)).toEqual([]);
  });
});
