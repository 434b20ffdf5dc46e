/**
 * The generated model of issue 9, as policy files in memory: per service a Service with versions v1
 * and v2, a TrafficRoute with a header rule and a 90/10 split, a TrafficPolicy with timeouts and
 * retries, and an AccessPolicy allowing one caller (the next service of its namespace); one Mesh
 * with default deny. Deterministic: the same options give the same text, byte for byte.
 */

/** A file of the model: what core's readSources would have read (`file` is relative). */
export interface ModelFile {
  readonly file: string;
  readonly text: string;
}

export interface ModelOptions {
  readonly services: number;
  /** Services are dealt round-robin over this many namespaces (`ns-00`, `ns-01`, …). Default 8. */
  readonly namespaces?: number;
  /** Services per file, so no file nears core's 8 MiB limit. Default 250. */
  readonly servicesPerFile?: number;
}

const API = 'apiVersion: anymesh.io/v1alpha1';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The namespace and name of service `i` (0-based) in a model of `count` services over `namespaces`. */
export function serviceAt(i: number, count: number, namespaces: number): { namespace: string; name: string } {
  return { namespace: `ns-${pad(i % namespaces, 2)}`, name: `svc-${pad(Math.floor(i / namespaces), String(count).length)}` };
}

/** The documents of one service: Service, TrafficRoute, TrafficPolicy, AccessPolicy. */
function serviceDocuments(namespace: string, name: string, caller: string): string {
  const meta = `metadata: { name: ${name}, namespace: ${namespace} }`;
  return `${API}
kind: Service
${meta}
spec:
  ports: [{ port: 8080, protocol: http }]
  versions:
    v1: { labels: { version: v1 } }
    v2: { labels: { version: v2 } }
---
${API}
kind: TrafficRoute
${meta}
spec:
  service: ${name}
  rules:
    - name: internal
      matches:
        - headers: { x-user-type: { exact: internal } }
      destinations: [{ version: v2 }]
    - name: split
      destinations:
        - { version: v1, weight: 90 }
        - { version: v2, weight: 10 }
---
${API}
kind: TrafficPolicy
${meta}
spec:
  target: { service: ${name} }
  connectTimeout: 1s
  requestTimeout: 5s
  retries: { attempts: 2, perTryTimeout: 1s, on: [5xx, connect-failure] }
---
${API}
kind: AccessPolicy
${meta}
spec:
  rules:
    - name: from-${caller}
      action: allow
      from: [{ service: ${caller} }]
      to: { service: ${name} }
`;
}

const MESH = `${API}
kind: Mesh
metadata: { name: bench }
spec:
  mtls: { mode: strict }
  defaultAccess: deny
`;

/**
 * The model's files: `mesh.yaml`, then `<namespace>/services-<k>.yaml` with up to
 * `servicesPerFile` services each. Each service allows the next service of its namespace (the
 * last one the first), so every AccessPolicy names a caller that exists.
 */
export function generateModel(options: ModelOptions): ModelFile[] {
  const namespaces = options.namespaces ?? 8;
  const perFile = options.servicesPerFile ?? 250;
  const byNamespace = new Map<string, string[]>();
  for (let i = 0; i < options.services; i++) {
    const { namespace, name } = serviceAt(i, options.services, namespaces);
    const names = byNamespace.get(namespace) ?? [];
    names.push(name);
    byNamespace.set(namespace, names);
  }
  const files: ModelFile[] = [{ file: 'mesh.yaml', text: MESH }];
  for (const [namespace, names] of byNamespace) {
    for (let start = 0; start < names.length; start += perFile) {
      const docs: string[] = [];
      for (let j = start; j < Math.min(start + perFile, names.length); j++) {
        docs.push(serviceDocuments(namespace, names[j]!, names[(j + 1) % names.length]!));
      }
      files.push({ file: `${namespace}/services-${pad(start / perFile, 3)}.yaml`, text: docs.join('---\n') });
    }
  }
  return files;
}
