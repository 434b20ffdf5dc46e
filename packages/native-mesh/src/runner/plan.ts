import { dirname, isAbsolute, resolve } from 'node:path';
import { findService, namespaceOf, serviceAccountOf, spiffeId, type MeshSettings, type PolicySet } from '@anymesh/core';

/** One replica of a Workload as the runner will start it: the app and its sidecar. */
export interface ReplicaPlan {
  /** `<workload name>-<index>`, e.g. `reviews-v3-0`; also the instance id in the registry. */
  readonly id: string;
  readonly namespace: string;
  readonly service: string;
  readonly version: string | undefined;
  readonly serviceAccount: string;
  readonly identity: string;
  /** The first port of the Service (what callers address); 80 when the service declares none. */
  readonly servicePort: number;
  readonly command: string;
  readonly args: readonly string[];
  /** The directory of the file that declared the Workload: relative commands and paths resolve here. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly locality: { readonly region?: string; readonly zone?: string } | undefined;
  readonly readinessPath: string;
}

/** Turns the Workloads of a policy set into replicas, in file order. Pure. */
export function planReplicas(set: PolicySet, mesh: MeshSettings): ReplicaPlan[] {
  return set.workloads.flatMap(({ object: workload, source }) => {
    const namespace = namespaceOf(workload);
    const spec = workload.spec;
    const service = findService(set, namespace, spec.service);
    const serviceAccount = service ? serviceAccountOf(service, spec.version) : spec.service;
    const cwd = dirname(resolve(source.file));
    const [program, ...args] = spec.command;
    // A program written as a relative path (`./server`, `bin/app`) is relative to the file; a bare name (`node`) is looked up in PATH.
    const command = program.includes('/') && !isAbsolute(program) ? resolve(cwd, program) : program;
    const locality =
      spec.locality ?? (spec.version === undefined ? undefined : service?.spec.versions?.[spec.version]?.locality) ?? undefined;
    return Array.from({ length: spec.replicas ?? 1 }, (_, index): ReplicaPlan => ({
      id: `${workload.metadata.name}-${index}`,
      namespace,
      service: spec.service,
      version: spec.version,
      serviceAccount,
      identity: spiffeId(mesh.trustDomain, namespace, serviceAccount),
      servicePort: service?.spec.ports?.[0]?.port ?? 80,
      command,
      args,
      cwd,
      env: spec.env ?? {},
      locality,
      readinessPath: spec.readinessPath ?? '/healthz',
    }));
  });
}
