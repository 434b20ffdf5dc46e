import type { Mesh, Retry, Service } from './generated.js';

/** Defaults documented in schemas/; adapters and the native mesh read them from here. */
export const DEFAULTS = {
  trustDomain: 'cluster.local',
  mtlsMode: 'strict',
  workloadCertTTL: '24h',
  defaultAccess: 'allow',
  tracingSampling: 1,
  retryOn: ['5xx', 'reset', 'connect-failure'] as Retry['on'] & object,
  retryBaseInterval: '25ms',
  destinationWeight: 1,
  redirectStatusCode: 302,
  outlierConsecutive5xx: 5,
  outlierInterval: '10s',
  outlierBaseEjectionTime: '30s',
  outlierMaxEjectionPercent: 10,
  retryBudgetPercent: 20,
  retryBudgetMinPerSecond: 10,
  retryBudgetWindow: '10s',
  rolloutInterval: '30s',
  rolloutThreshold: 3,
} as const;

export function meshSettings(mesh: Mesh | undefined) {
  const spec = mesh?.spec ?? {};
  return {
    trustDomain: spec.trustDomain ?? DEFAULTS.trustDomain,
    mtlsMode: spec.mtls?.mode ?? DEFAULTS.mtlsMode,
    workloadCertTTL: spec.mtls?.workloadCertTTL ?? DEFAULTS.workloadCertTTL,
    defaultAccess: spec.defaultAccess ?? DEFAULTS.defaultAccess,
    metricsEnabled: spec.observability?.metrics?.enabled ?? true,
    tracingSampling: spec.observability?.tracing?.sampling ?? DEFAULTS.tracingSampling,
    tracingEndpoint: spec.observability?.tracing?.endpoint,
    accessLogs: spec.observability?.accessLogs?.enabled ?? false,
    accessLogFormat: spec.observability?.accessLogs?.format ?? 'json',
  };
}

export type MeshSettings = ReturnType<typeof meshSettings>;

/** The service account of a service's workloads, or of one version's when it has its own. */
export function serviceAccountOf(service: Service, version?: string): string {
  const own = version === undefined ? undefined : service.spec.versions?.[version]?.serviceAccount;
  return own ?? service.spec.serviceAccount ?? service.metadata.name;
}

/** The workload selector of a service: its `selector`, default `{app: <name>}`. */
export function selectorOf(service: Service): Record<string, string> {
  return service.spec.selector ?? { app: service.metadata.name };
}

export function versionNames(service: Service): string[] {
  return Object.keys(service.spec.versions ?? {});
}
