import type { PolicySet, Service } from '@anymesh/core';
import type { Manifest } from '../../src/index.js';

/** Annotation on fixture pods naming the neutral service and version they run (`web/v1`; `web/` for a service without versions). */
export const WORKLOAD_ANNOTATION = 'fixture.anymesh.test/workload';

/**
 * The cluster a policy set describes, written as a user would deploy it, from the model's documented
 * meaning (Service: "selector, default {app: <name>}; a version's labels are ANDed with it; service
 * account: the version's, else the service's, else the service name") and not through any code the
 * translators or the neutral oracle use: one Kubernetes Service per neutral service and one pod per
 * version, with its labels, service account and ports. Evaluators send requests to these pods.
 */
export function clusterOf(set: PolicySet): Manifest[] {
  return [...set.services.values()].flatMap((loaded) => workloadObjects(loaded.object));
}

function workloadObjects(svc: Service): Manifest[] {
  const name = svc.metadata.name;
  const namespace = svc.metadata.namespace ?? 'default';
  const selector = svc.spec.selector ?? { app: name };
  const versions = Object.entries(svc.spec.versions ?? {});
  const pods = (versions.length ? versions : [['', undefined] as const]).map(([version, v]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      // A dot cannot occur in a service or version name: `a` v `b-c` and `a-b` v `c` stay two pods.
      name: version ? `${name}.${version}-0` : `${name}-0`,
      namespace,
      labels: { ...selector, ...(v?.labels ?? {}) },
      annotations: { [WORKLOAD_ANNOTATION]: `${name}/${version}` },
    },
    spec: {
      serviceAccountName: v?.serviceAccount ?? svc.spec.serviceAccount ?? name,
      containers: [
        {
          name: 'app',
          ports: svc.spec.ports.map((p) => ({ containerPort: p.port, protocol: 'TCP', ...(p.name ? { name: p.name } : {}) })),
        },
      ],
    },
  }));
  const service: Manifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      selector,
      ports: svc.spec.ports.map((p) => ({
        port: p.port,
        targetPort: p.port,
        ...(p.name ? { name: p.name } : {}),
        ...(p.protocol ? { appProtocol: p.protocol } : {}),
      })),
    },
  };
  return [service, ...pods];
}
