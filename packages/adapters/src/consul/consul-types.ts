/**
 * The parts of consul.hashicorp.com/v1alpha1 specs this adapter writes and its evaluator reads.
 * Field names follow the consul-k8s CRDs (checked against third_party/crds/consul-k8s by the CRD tests).
 */

export const CONSUL_API_VERSION = 'consul.hashicorp.com/v1alpha1';

export interface HeaderModifierSpec {
  add?: Record<string, string>;
  set?: Record<string, string>;
  remove?: string[];
}

export interface HeaderMatchSpec {
  name: string;
  exact?: string;
  prefix?: string;
  regex?: string;
  present?: boolean;
  invert?: boolean;
}

export interface QueryMatchSpec {
  name: string;
  exact?: string;
  regex?: string;
  present?: boolean;
}

export interface HttpRouteMatchSpec {
  pathExact?: string;
  pathPrefix?: string;
  pathRegex?: string;
  caseInsensitive?: boolean;
  header?: HeaderMatchSpec[];
  queryParam?: QueryMatchSpec[];
  methods?: string[];
}

export interface RouteDestinationSpec {
  service?: string;
  serviceSubset?: string;
  prefixRewrite?: string;
  requestTimeout?: string;
  numRetries?: number;
  retryOn?: string[];
  retryOnStatusCodes?: number[];
  retryOnConnectFailure?: boolean;
  requestHeaders?: HeaderModifierSpec;
  responseHeaders?: HeaderModifierSpec;
}

export interface RouterRouteSpec {
  match?: { http?: HttpRouteMatchSpec };
  destination?: RouteDestinationSpec;
}

export interface ServiceRouterSpec {
  routes: RouterRouteSpec[];
}

export interface SplitSpec {
  weight: number;
  service?: string;
  serviceSubset?: string;
}

export interface ServiceSplitterSpec {
  splits: SplitSpec[];
}

export interface HashPolicySpec {
  field?: 'header' | 'cookie' | 'query_parameter';
  fieldValue?: string;
  cookieConfig?: { ttl?: string; session?: boolean; path?: string };
  sourceIP?: boolean;
}

export interface ServiceResolverSpec {
  defaultSubset?: string;
  subsets?: Record<string, { filter: string; onlyPassing?: boolean }>;
  redirect?: { service: string; serviceSubset?: string };
  connectTimeout?: string;
  requestTimeout?: string;
  loadBalancer?: { policy: string; hashPolicies?: HashPolicySpec[] };
  prioritizeByLocality?: { mode: 'failover' };
}

export interface UpstreamOverrideSpec {
  name: string;
  namespace?: string;
  limits?: { maxConnections?: number; maxPendingRequests?: number; maxConcurrentRequests?: number };
  passiveHealthCheck?: {
    interval: string;
    maxFailures: number;
    enforcingConsecutive5xx: number;
    maxEjectionPercent: number;
    baseEjectionTime: string;
  };
}

export interface ServiceDefaultsSpec {
  protocol: string;
  upstreamConfig?: { overrides: UpstreamOverrideSpec[] };
}

export interface IntentionHttpSpec {
  pathExact?: string;
  pathPrefix?: string;
  methods?: string[];
}

export interface IntentionPermissionSpec {
  action: 'allow' | 'deny';
  http: IntentionHttpSpec;
}

export interface IntentionSourceSpec {
  name: string;
  namespace?: string;
  action?: 'allow' | 'deny';
  permissions?: IntentionPermissionSpec[];
  description?: string;
}

export interface ServiceIntentionsSpec {
  destination: { name: string; namespace?: string };
  sources: IntentionSourceSpec[];
}
