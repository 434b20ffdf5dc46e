import { describe, expect, it } from 'vitest';
import { istioAdapter } from '../src/istio/index.js';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { loadYaml } from './support/policy-cases.js';

const service = (name: string, ports: string) => `---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec: { ports: ${ports} }
`;

const ROUTE = `---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec:
  service: web
  rules: [{ matches: [{ path: { prefix: /api } }], destinations: [{ service: api }] }]
`;

function translate(mesh: typeof istioAdapter, yaml: string) {
  const loaded = loadYaml(yaml, 'ports.yaml');
  if (!loaded.valid) throw new Error(JSON.stringify(loaded.diagnostics, null, 2));
  return mesh.translate(loaded.set).manifests;
}

type Entry = { match?: { port?: number }[]; route?: { destination: { host: string; port?: { number: number } } }[] };

/**
 * The api cluster port Istio uses for /api requests arriving on `listener` (pilot's GetDestinationCluster):
 * the destination's port, else the host's only port, else the listener's port.
 */
function istioApiPort(
  manifests: readonly { kind: string; metadata: { name: string }; spec?: unknown }[],
  listener: number,
  apiPorts: number[],
) {
  const vs = manifests.find((m) => m.kind === 'VirtualService' && m.metadata.name === 'web')!;
  const entry = (vs.spec as { http: Entry[] }).http.find(
    (e) => e.route?.[0]?.destination.host.startsWith('api.') && (e.match ?? [{}]).some((m) => m.port === undefined || m.port === listener),
  )!;
  const d = entry.route![0]!.destination;
  return d.port?.number ?? (apiPorts.length === 1 ? apiPorts[0] : listener);
}

describe('the port of a destination in another service', () => {
  it('sends to the destination first HTTP port when it lacks the request port (regression: Istio used the listener port, a cluster api does not have: 503)', () => {
    const manifests = translate(
      istioAdapter,
      `${service('web', '[{ port: 8080 }]')}${service('api', '[{ port: 9090 }, { port: 9091 }]')}${ROUTE}`,
    );
    expect(istioApiPort(manifests, 8080, [9090, 9091])).toBe(9090);
  });

  it('keeps the request port where the destination has it, per port of the routed service', () => {
    const manifests = translate(
      istioAdapter,
      `${service('web', '[{ port: 8080, name: a }, { port: 9091, name: b }]')}${service('api', '[{ port: 9090 }, { port: 9091 }]')}${ROUTE}`,
    );
    expect(istioApiPort(manifests, 8080, [9090, 9091])).toBe(9090);
    expect(istioApiPort(manifests, 9091, [9090, 9091])).toBe(9091);
  });

  it('calls a Linkerd backend on its first HTTP port, not its first port when that is TCP', () => {
    const manifests = translate(
      linkerdAdapter,
      `${service('web', '[{ port: 8080 }]')}${service('api', '[{ port: 5432, protocol: tcp }, { port: 9090 }]')}${ROUTE}`,
    );
    const routes = manifests.filter((m) => m.kind === 'HTTPRoute');
    const refs = routes.flatMap((r) =>
      (r.spec as { rules: { backendRefs?: { name: string; port: number }[] }[] }).rules.flatMap((x) => x.backendRefs ?? []),
    );
    expect(refs.filter((r) => r.name === 'api')).toEqual([expect.objectContaining({ port: 9090 })]);
  });
});
