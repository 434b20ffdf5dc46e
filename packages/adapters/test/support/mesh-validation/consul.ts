import type { ManifestLike } from '../crd-validator.js';
import { goDurationNs } from './go-duration.js';

/**
 * Consul's own validation of config entries, beyond the consul-k8s CRD schema: what the server
 * answers when the controller writes the entry (`Validate()` of each entry kind). Our own code,
 * written from the rules in hashicorp/consul:
 * - agent/structs/config_entry_discoverychain.go: ServiceRouter, ServiceSplitter, ServiceResolver;
 * - agent/structs/config_entry_intentions.go: ServiceIntentions;
 * - agent/structs/config_entry.go: ServiceDefaults (upstream config) and ProxyDefaults.
 * Only the fields anymesh emits are modelled; Go's zero value ("" or 0) counts as unset, as in Go.
 */
type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const set = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== false && v !== 0;

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE']);
const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);
const LB_POLICIES = new Set(['', 'random', 'round_robin', 'least_request', 'ring_hash', 'maglev']);
const HASH_FIELDS = new Set(['header', 'cookie', 'query_parameter']);

function methodErrors(methods: unknown, at: string): string[] {
  const seen = new Set<string>();
  return list(methods).flatMap((m) => {
    const method = str(m);
    if (!HTTP_METHODS.has(method)) return [`${at}.methods contains an invalid method ${JSON.stringify(method)}`];
    if (seen.has(method)) return [`${at}.methods contains ${JSON.stringify(method)} more than once`];
    seen.add(method);
    return [];
  });
}

/** Path fields of an HTTP match: at most one, and exact/prefix start with `/`. Returns the count too. */
function pathErrors(http: Obj, at: string): { errors: string[]; parts: number } {
  const errors: string[] = [];
  let parts = 0;
  for (const field of ['pathExact', 'pathPrefix'] as const) {
    if (!set(http[field])) continue;
    parts++;
    if (!str(http[field]).startsWith('/')) errors.push(`${at}.${field} doesn't start with '/': ${JSON.stringify(http[field])}`);
  }
  if (set(http.pathRegex)) parts++;
  if (parts > 1) errors.push(`${at} should only contain at most one of pathExact, pathPrefix, or pathRegex`);
  return { errors, parts };
}

/** A header matcher needs a name and exactly one non-empty matcher; an empty `exact: ""` is no matcher at all. */
function headerErrors(headers: unknown, at: string): string[] {
  return list(headers).flatMap((h, k) => {
    const header = obj(h);
    if (!set(header.name)) return [`${at}.header[${k}] missing required name`];
    const parts = ['present', 'exact', 'regex', 'prefix', 'suffix'].filter((f) => set(header[f])).length;
    return parts === 1
      ? []
      : [`${at}.header[${k}] should only contain one of present, exact, prefix, suffix, or regex (empty strings count as unset)`];
  });
}

function queryErrors(params: unknown, at: string): string[] {
  return list(params).flatMap((q, k) => {
    const param = obj(q);
    if (!set(param.name)) return [`${at}.queryParam[${k}] missing required name`];
    const parts = ['present', 'exact', 'regex'].filter((f) => set(param[f])).length;
    return parts === 1 ? [] : [`${at}.queryParam[${k}] should only contain one of present, exact, or regex (empty strings count as unset)`];
  });
}

function serviceRouter(spec: Obj): string[] {
  return list(spec.routes).flatMap((r, i) => {
    const route = obj(r);
    const at = `spec.routes[${i}]`;
    const http = obj(obj(route.match).http);
    const path = pathErrors(http, `${at}.match.http`);
    const eligibleForPrefixRewrite = set(http.pathExact) || set(http.pathPrefix);
    const destination = obj(route.destination);
    return [
      ...path.errors,
      ...headerErrors(http.header, `${at}.match.http`),
      ...queryErrors(http.queryParam, `${at}.match.http`),
      ...methodErrors(http.methods, `${at}.match.http`),
      ...(set(destination.prefixRewrite) && !eligibleForPrefixRewrite
        ? [`${at}.destination cannot make use of prefixRewrite without configuring either pathExact or pathPrefix`]
        : []),
      ...list(destination.retryOn).flatMap((c) =>
        RETRY_ON.has(str(c)) ? [] : [`${at}.destination contains an invalid retry condition: ${JSON.stringify(c)}`],
      ),
      // Router destinations may carry a negative timeout ("no timeout"); they are parsed, not bounded.
      ...durationErrors(destination, ['requestTimeout', 'idleTimeout'], `${at}.destination`, false),
    ];
  });
}

/** Weights are compared in 0.01% units; the sum must be exactly 100%. */
function serviceSplitter(spec: Obj, name: string): string[] {
  const splits = list(spec.splits).map(obj);
  if (splits.length === 0) return ['spec.splits: no splits configured'];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const s of splits) {
    const key = JSON.stringify([str(s.service) || name, str(s.serviceSubset), str(s.namespace), str(s.partition)]);
    if (seen.has(key)) errors.push(`spec.splits: split destination occurs more than once: ${key}`);
    seen.add(key);
  }
  const scaled = splits.reduce((sum, s) => sum + Math.round(Math.fround(Number(s.weight ?? 0)) * 100), 0);
  if (scaled !== 10_000) errors.push(`spec.splits: the sum of all split weights must be 100, not ${scaled / 100}`);
  return errors;
}

function durationErrors(spec: Obj, fields: readonly string[], at: string, nonNegative: boolean): string[] {
  return fields.flatMap((field) => {
    if (spec[field] === undefined) return [];
    const ns = goDurationNs(str(spec[field]));
    if (ns === undefined) return [`${at}.${field}: not a Go duration: ${JSON.stringify(spec[field])}`];
    return nonNegative && ns < 0 ? [`${at}.${field}: Bad ${field} '${str(spec[field])}', must be >= 0`] : [];
  });
}

function hashPolicyErrors(policy: string, hashPolicies: unknown): string[] {
  const policies = list(hashPolicies).map(obj);
  if (policies.length > 0 && policy !== 'ring_hash' && policy !== 'maglev') {
    return [`spec.loadBalancer: hashPolicies specified for non-hash-based policy ${JSON.stringify(policy)}`];
  }
  return policies.flatMap((hp, i) => {
    const at = `spec.loadBalancer.hashPolicies[${i}]`;
    const field = str(hp.field);
    const errors: string[] = [];
    if (field !== '' && !HASH_FIELDS.has(field)) errors.push(`${at}: ${JSON.stringify(field)} is not a supported field`);
    if (set(hp.sourceIP) && (field !== '' || set(hp.fieldValue)))
      errors.push(`${at}: sourceIP cannot be combined with field or fieldValue`);
    if (field !== '' && !set(hp.fieldValue)) errors.push(`${at}: field ${JSON.stringify(field)} was specified without a fieldValue`);
    if (set(hp.fieldValue) && field === '') errors.push(`${at}: fieldValue requires a field to apply to`);
    const cookie = hp.cookieConfig === undefined ? undefined : obj(hp.cookieConfig);
    if (cookie && field !== 'cookie') errors.push(`${at}: cookieConfig provided for ${JSON.stringify(field)}`);
    if (cookie && set(cookie.session) && set(cookie.ttl) && goDurationNs(str(cookie.ttl)) !== 0) {
      errors.push(`${at}: a session cookie cannot have an associated TTL`);
    }
    return errors;
  });
}

/** Subset names are DNS labels (they end up in SNI names); the default subset must be one of them. */
function serviceResolver(spec: Obj): string[] {
  const subsets = obj(spec.subsets);
  const errors = Object.keys(subsets).flatMap((name) =>
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name) ? [] : [`spec.subsets: subset ${JSON.stringify(name)} is invalid: not a DNS label`],
  );
  if (set(spec.defaultSubset) && !(str(spec.defaultSubset) in subsets)) {
    errors.push(`spec.defaultSubset ${JSON.stringify(spec.defaultSubset)} is not a valid subset`);
  }
  const redirect = spec.redirect === undefined ? undefined : obj(spec.redirect);
  if (redirect && Object.values(redirect).every((v) => !set(v))) errors.push('spec.redirect is empty');
  errors.push(...durationErrors(spec, ['connectTimeout', 'requestTimeout'], 'spec', true));
  const lb = spec.loadBalancer === undefined ? undefined : obj(spec.loadBalancer);
  if (lb) {
    const policy = str(lb.policy);
    if (!LB_POLICIES.has(policy)) errors.push(`spec.loadBalancer: policy ${JSON.stringify(policy)} is not supported`);
    errors.push(...hashPolicyErrors(policy, lb.hashPolicies));
  }
  return errors;
}

function intentionPermissionErrors(permissions: unknown[], at: string): string[] {
  return permissions.flatMap((p, j) => {
    const perm = obj(p);
    const where = `${at}.permissions[${j}]`;
    const errors = perm.action === 'allow' || perm.action === 'deny' ? [] : [`${where}.action must be set to 'allow' or 'deny'`];
    if (perm.http === undefined) return [...errors, `${where}.http is required`];
    const http = obj(perm.http);
    const path = pathErrors(http, `${where}.http`);
    const headers = list(http.header);
    const methods = list(http.methods);
    const parts = path.parts + headers.length + (methods.length > 0 ? 1 : 0);
    return [
      ...errors,
      ...path.errors,
      ...headerErrors(http.header, `${where}.http`),
      ...methodErrors(http.methods, `${where}.http`),
      ...(parts === 0 ? [`${where}.http should not be empty`] : []),
    ];
  });
}

/** Sources: named, once each; an action xor permissions; wildcards only whole. */
function serviceIntentions(spec: Obj, namespace: string): string[] {
  const destination = obj(spec.destination);
  const errors = wildcardErrors(str(destination.name), str(destination.namespace) || namespace, 'spec.destination');
  const destIsWild = str(destination.name) === '*' || (str(destination.namespace) || namespace) === '*';
  const sources = list(spec.sources).map(obj);
  if (sources.length === 0) errors.push('spec.sources: at least one source is required');
  const seen = new Set<string>();
  sources.forEach((src, i) => {
    const at = `spec.sources[${i}]`;
    if (!set(src.name)) errors.push(`${at}.name is required`);
    errors.push(...wildcardErrors(str(src.name), str(src.namespace) || namespace, at));
    const permissions = list(src.permissions);
    if (permissions.length === 0 && src.action !== 'allow' && src.action !== 'deny')
      errors.push(`${at}.action must be set to 'allow' or 'deny'`);
    if (permissions.length > 0 && set(src.action)) errors.push(`${at}.action must be omitted if permissions are specified`);
    if (destIsWild && permissions.length > 0)
      errors.push(`${at}.permissions cannot be specified on intentions with wildcarded destinations`);
    if (str(src.description).length > 512) errors.push(`${at}.description exceeds maximum length 512`);
    errors.push(...intentionPermissionErrors(permissions, at));
    const key = JSON.stringify([str(src.namespace) || namespace, str(src.name), str(src.peer), str(src.samenessGroup)]);
    if (seen.has(key)) errors.push(`${at} defines ${str(src.namespace) || namespace}/${str(src.name)} more than once`);
    seen.add(key);
  });
  return errors;
}

function wildcardErrors(name: string, namespace: string, at: string): string[] {
  const errors: string[] = [];
  if (namespace !== '*' && namespace.includes('*'))
    errors.push(`${at}.namespace: wildcard character '*' cannot be used with partial values`);
  if (name !== '*' && name.includes('*')) errors.push(`${at}.name: wildcard character '*' cannot be used with partial values`);
  if (name !== '*' && namespace === '*') errors.push(`${at}.name: exact value cannot follow wildcard namespace`);
  return errors;
}

/** UpstreamConfig.Validate: limits non-negative, ejection percentages at most 100, durations non-negative. */
function serviceDefaults(spec: Obj): string[] {
  return list(obj(spec.upstreamConfig).overrides).flatMap((o, i) => {
    const override = obj(o);
    const at = `spec.upstreamConfig.overrides[${i}]`;
    const limits = obj(override.limits);
    const errors = ['maxConnections', 'maxPendingRequests', 'maxConcurrentRequests'].flatMap((f) =>
      typeof limits[f] === 'number' && (limits[f] as number) < 0 ? [`${at}.limits.${f} must be >= 0`] : [],
    );
    const check = override.passiveHealthCheck === undefined ? undefined : obj(override.passiveHealthCheck);
    if (check) {
      errors.push(...durationErrors(check, ['interval', 'baseEjectionTime'], `${at}.passiveHealthCheck`, true));
      for (const f of ['enforcingConsecutive5xx', 'maxEjectionPercent']) {
        if (typeof check[f] === 'number' && (check[f] as number) > 100)
          errors.push(`${at}.passiveHealthCheck.${f} must be a percentage between 0 and 100`);
      }
    }
    return errors;
  });
}

function proxyDefaults(spec: Obj, name: string): string[] {
  const errors = name === 'global' ? [] : [`metadata.name: invalid name (${JSON.stringify(name)}), only "global" is supported`];
  if (!['', 'direct', 'transparent'].includes(str(spec.mode))) errors.push(`spec.mode: invalid proxy mode ${JSON.stringify(spec.mode)}`);
  if (!['', 'strict', 'permissive'].includes(str(spec.mutualTLSMode))) {
    errors.push(`spec.mutualTLSMode: invalid mutual TLS mode ${JSON.stringify(spec.mutualTLSMode)}`);
  }
  return errors;
}

/** Every reason Consul would refuse the config entry (empty when it would accept it), prefixed with kind/name. */
export function consulValidationErrors(manifest: ManifestLike): string[] {
  const metadata = obj(manifest.metadata);
  const name = str(metadata.name);
  const namespace = str(metadata.namespace) || 'default';
  const spec = obj(manifest.spec);
  const errors = ((): string[] => {
    switch (manifest.kind) {
      case 'ServiceRouter':
        return serviceRouter(spec);
      case 'ServiceSplitter':
        return serviceSplitter(spec, name);
      case 'ServiceResolver':
        return serviceResolver(spec);
      case 'ServiceIntentions':
        return serviceIntentions(spec, namespace);
      case 'ServiceDefaults':
        return serviceDefaults(spec);
      case 'ProxyDefaults':
        return proxyDefaults(spec, name);
      default:
        return [];
    }
  })();
  return errors.map((e) => `consul ${String(manifest.kind)}/${name}: ${e}`);
}
