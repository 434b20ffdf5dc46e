import type { Manifest, WeightedTarget } from '../../src/index.js';
import type { AppliedState } from './applied-state.js';
import { WORKLOAD_ANNOTATION } from './cluster.js';

/** Kubernetes label-selector semantics (matchLabels): every key present with the same value; `{}` selects everything. */
export function selects(
  selector: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

/** The pods a Kubernetes Service's selector picks (its endpoints); none when the Service does not exist. */
export function endpointsOf(state: AppliedState, namespace: string, service: string): Manifest[] {
  const svc = state.get('Service', namespace, service, '');
  const selector = (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
  if (svc === undefined || selector === undefined) return [];
  return state.list('Pod', { group: '', namespace }).filter((p) => selects(selector, p.metadata.labels));
}

/** The neutral service and version a fixture pod runs. */
export function workloadOf(pod: Manifest): { service: string; version: string } {
  const [service = '', version = ''] = (pod.metadata.annotations?.[WORKLOAD_ANNOTATION] ?? '/').split('/');
  return { service, version };
}

/**
 * Names a set of pods the way decisions do: every pod of a service → that service, all versions;
 * exactly the pods of one version → that version. Any other set (a selector that catches too much or
 * too little) gets a name no neutral decision has, so the comparison shows it.
 */
export function targetOfPods(
  pods: readonly Manifest[],
  allPods: readonly Manifest[],
  fallbackService: string,
): Omit<WeightedTarget, 'share'> {
  const names = (ps: readonly Manifest[]) =>
    ps
      .map((p) => p.metadata.name)
      .sort()
      .join(',');
  const workloads = pods.map(workloadOf);
  const services = new Set(workloads.map((w) => w.service));
  const service = services.size === 1 ? [...services][0]! : fallbackService;
  const ofService = allPods.filter((p) => workloadOf(p).service === service);
  if (pods.length > 0 && names(pods) === names(ofService)) return { service, version: undefined };
  const versions = new Set(workloads.map((w) => w.version));
  if (versions.size === 1 && services.size === 1) {
    const version = [...versions][0]!;
    const ofVersion = ofService.filter((p) => workloadOf(p).version === version);
    if (names(pods) === names(ofVersion)) return { service, version };
  }
  return { service, version: `pods[${names(pods)}]` };
}

/** Pods of the cluster, in any namespace. */
export function allPods(state: AppliedState): readonly Manifest[] {
  return state.list('Pod', { group: '' });
}
