import { compileRegex } from '@anymesh/core';
import type { ManifestLike } from '../crd-validator.js';
import { goDurationNs } from './go-duration.js';

/**
 * Istio's own validation (the istiod validating webhook), beyond the CRD schema and its CEL rules,
 * for the fields anymesh emits. Our own code, written from the rules in istio/istio:
 * - pkg/config/validation/virtualservice.go: route/redirect/rewrite/fault conflicts, header names;
 * - pkg/config/validation/validation.go: destinations and weights, retries, redirect, rewrite, fault,
 *   header operations, DestinationRule subsets and traffic policy, AuthorizationPolicy values;
 * - pkg/config/validation/agent/validation.go: ValidateDuration (at least 1ms, whole milliseconds).
 */
type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HEADER_NAME = /^[-_A-Za-z0-9]+$/;
const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

/** agent.ValidateDuration: "duration must be greater than 1ms", "only durations to ms precision are supported". */
export function istioDurationError(value: unknown, at: string): string[] {
  if (value === undefined) return [];
  const ns = goDurationNs(str(value));
  if (ns === undefined) return [`${at}: not a duration: ${JSON.stringify(value)}`];
  if (ns < 1e6) return [`${at}: duration must be greater than 1ms, got ${str(value)}`];
  if (Math.round(ns) % 1e6 !== 0) return [`${at}: only durations to ms precision are supported, got ${str(value)}`];
  return [];
}

function regexErrors(match: unknown, at: string): string[] {
  const regex = obj(match).regex;
  if (typeof regex !== 'string') return [];
  return !('error' in compileRegex(regex)) ? [] : [`${at}: ${JSON.stringify(regex)} is not a valid RE2 expression`];
}

function matchErrors(matches: unknown, at: string): string[] {
  return list(matches).flatMap((m, i) => {
    const match = obj(m);
    const where = `${at}.match[${i}]`;
    return [
      ...regexErrors(match.uri, `${where}.uri`),
      ...Object.entries(obj(match.headers)).flatMap(([name, sm]) => [
        ...(HEADER_NAME.test(name) ? [] : [`${where}.headers: header name ${name} is not a valid header name`]),
        ...regexErrors(sm, `${where}.headers.${name}`),
      ]),
      ...Object.entries(obj(match.withoutHeaders)).flatMap(([name]) =>
        HEADER_NAME.test(name) ? [] : [`${where}.withoutHeaders: header name ${name} is not a valid header name`],
      ),
      ...Object.entries(obj(match.queryParams)).flatMap(([name, sm]) => regexErrors(sm, `${where}.queryParams.${name}`)),
    ];
  });
}

/**
 * ValidateHTTPHeaderValue (validation.go, header_value_validator.go): no control characters, and a
 * `%` either doubled (`%%`) or opening an Envoy variable such as `%HOSTNAME%` or `%REQ(x-id)%`.
 */
function headerValueErrors(value: unknown, at: string): string[] {
  const v = str(value);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000A-\u001F\u007F]/.test(v)) return [`${at}: header value configuration ${JSON.stringify(v)} is invalid`];
  const withoutVariables = v.replace(/%%/g, '').replace(/%[A-Z_]+(\([^)]*\))?(:[^%]*)?%/g, '');
  return withoutVariables.includes('%') ? [`${at}: header value configuration ${JSON.stringify(v)} has an unescaped %`] : [];
}

function headerOperationErrors(headers: unknown, at: string): string[] {
  const out: string[] = [];
  for (const side of ['request', 'response'] as const) {
    const ops = obj(obj(headers)[side]);
    for (const op of ['set', 'add'] as const) {
      for (const [name, value] of Object.entries(obj(ops[op]))) {
        const where = `${at}.${side}.${op}.${name}`;
        if (name === '') out.push(`${where}: header name cannot be empty`);
        const internal = name.startsWith(':') || name.toLowerCase() === 'host';
        const authority = name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';
        if (internal && !(side === 'request' && authority)) out.push(`${where}: invalid header ${JSON.stringify(name)}`);
        out.push(...headerValueErrors(value, where));
      }
    }
    for (const name of list(ops.remove).map(str)) {
      if (name === '' || name.startsWith(':') || name.toLowerCase() === 'host')
        out.push(`${at}.${side}.remove: invalid header ${JSON.stringify(name)}`);
    }
  }
  return out;
}

function destinationErrors(route: unknown, at: string): string[] {
  const dests = list(route).map(obj);
  const errors = dests.flatMap((d, i) => {
    const where = `${at}.route[${i}]`;
    const destination = obj(d.destination);
    const out: string[] = [];
    if (d.destination === undefined) out.push(`${where}: destination is required`);
    if (str(destination.host) === '*' || str(destination.host) === '')
      out.push(`${where}: invalid destination host ${JSON.stringify(destination.host)}`);
    if (destination.subset !== undefined && !DNS_LABEL.test(str(destination.subset)))
      out.push(`${where}: subset name is invalid: ${str(destination.subset)}`);
    if (typeof d.weight === 'number' && d.weight < 0) out.push(`${where}: weight ${d.weight} < 0`);
    out.push(...headerOperationErrors(d.headers, `${where}.headers`));
    return out;
  });
  const total = dests.reduce((sum, d) => sum + (typeof d.weight === 'number' ? d.weight : 0), 0);
  if (dests.length > 1 && total === 0) errors.push(`${at}: total destination weight = 0`);
  return errors;
}

function retryErrors(retries: unknown, at: string): string[] {
  if (retries === undefined) return [];
  const r = obj(retries);
  const attempts = typeof r.attempts === 'number' ? r.attempts : 0;
  const out: string[] = [];
  if (attempts < 0) out.push(`${at}: attempts cannot be negative`);
  if (attempts === 0 && (r.perTryTimeout !== undefined || str(r.retryOn) !== '' || r.retryRemoteLocalities !== undefined)) {
    out.push(`${at}: http retry policy configured when attempts are set to 0 (disabled)`);
  }
  out.push(...istioDurationError(r.perTryTimeout, `${at}.perTryTimeout`), ...istioDurationError(r.backoff, `${at}.backoff`));
  for (const policy of str(r.retryOn) === '' ? [] : str(r.retryOn).split(',')) {
    const status = Number(policy);
    const isStatus = Number.isInteger(status) && status >= 100 && status <= 599;
    if (!isStatus && !RETRY_ON.has(policy)) out.push(`${at}: ${JSON.stringify(policy)} is not a valid retryOn policy`);
  }
  return out;
}

function percentageErrors(percentage: unknown, at: string): string[] {
  if (percentage === undefined) return [];
  const value = Number(obj(percentage).value ?? 0);
  return value < 0 || value > 100 || (value > 0 && value < 0.0001)
    ? [`${at}: percentage ${value} is neither 0.0, nor in range [0.0001, 100.0]`]
    : [];
}

function faultErrors(fault: unknown, at: string): string[] {
  if (fault === undefined) return [];
  const f = obj(fault);
  const out: string[] = [];
  if (f.abort === undefined && f.delay === undefined) out.push(`${at}: HTTP fault injection must have an abort and/or a delay`);
  if (f.abort !== undefined) {
    const abort = obj(f.abort);
    out.push(...percentageErrors(abort.percentage, `${at}.abort`));
    const status = Number(abort.httpStatus);
    if (abort.httpStatus !== undefined && (status < 200 || status > 600))
      out.push(`${at}.abort: HTTP status ${status} is not in range 200-599`);
  }
  if (f.delay !== undefined) {
    const delay = obj(f.delay);
    out.push(...percentageErrors(delay.percentage, `${at}.delay`), ...istioDurationError(delay.fixedDelay, `${at}.delay.fixedDelay`));
  }
  return out;
}

function httpRouteErrors(h: Obj, at: string): string[] {
  const out: string[] = [];
  const hasRoute = list(h.route).length > 0;
  if (h.redirect !== undefined) {
    if (hasRoute) out.push(`${at}: HTTP route cannot contain both route and redirect`);
    if (h.fault !== undefined) out.push(`${at}: HTTP route cannot contain both fault and redirect`);
    if (h.rewrite !== undefined) out.push(`${at}: HTTP route rule cannot contain both rewrite and redirect`);
    const r = obj(h.redirect);
    // Istio 1.31 added prefixRewrite (in the vendored CRD): a path like uri, so it satisfies the rule too.
    if (str(r.uri) === '' && str(r.prefixRewrite) === '' && str(r.authority) === '' && r.port === undefined && str(r.scheme) === '') {
      out.push(`${at}.redirect: redirect must specify URI, authority, scheme, or port`);
    }
    const code = Number(r.redirectCode ?? 0);
    if (code !== 0 && (code < 300 || code > 399)) out.push(`${at}.redirect: ${code} is not a valid redirect code, must be 3xx`);
  } else if (!hasRoute && h.directResponse === undefined) {
    out.push(`${at}: HTTP route or redirect is required`);
  }
  if (h.rewrite !== undefined) {
    const r = obj(h.rewrite);
    if (str(r.uri) !== '' && r.uriRegexRewrite !== undefined)
      out.push(`${at}.rewrite: rewrite may only contain one of URI or UriRegexRewrite`);
    if (str(r.uri) === '' && r.uriRegexRewrite === undefined && str(r.authority) === '') {
      out.push(`${at}.rewrite: rewrite must specify at least one of URI, UriRegexRewrite, or authority`);
    }
  }
  const mirror = h.mirrorPercentage === undefined ? undefined : Number(obj(h.mirrorPercentage).value ?? 0);
  if (mirror !== undefined && (mirror < 0 || mirror > 100)) out.push(`${at}: mirror_percentage ${mirror} is not in [0, 100]`);
  return [
    ...out,
    ...matchErrors(h.match, at),
    ...headerOperationErrors(h.headers, `${at}.headers`),
    ...faultErrors(h.fault, `${at}.fault`),
    ...retryErrors(h.retries, `${at}.retries`),
    ...destinationErrors(h.route, at),
    ...istioDurationError(h.timeout, `${at}.timeout`),
  ];
}

function virtualService(spec: Obj): string[] {
  const out = list(spec.hosts).length === 0 ? ['spec.hosts: virtual service must have at least one host'] : [];
  list(spec.http).forEach((h, i) => out.push(...httpRouteErrors(obj(h), `spec.http[${i}]`)));
  return out;
}

function trafficPolicyErrors(policy: unknown, at: string): string[] {
  if (policy === undefined) return [];
  const p = obj(policy);
  const pool = obj(p.connectionPool);
  const outlier = p.outlierDetection === undefined ? undefined : obj(p.outlierDetection);
  const out = [
    ...istioDurationError(obj(pool.tcp).connectTimeout, `${at}.connectionPool.tcp.connectTimeout`),
    ...istioDurationError(obj(pool.http).idleTimeout, `${at}.connectionPool.http.idleTimeout`),
  ];
  if (outlier) {
    out.push(...istioDurationError(outlier.interval, `${at}.outlierDetection.interval`));
    out.push(...istioDurationError(outlier.baseEjectionTime, `${at}.outlierDetection.baseEjectionTime`));
    const max = Number(outlier.maxEjectionPercent ?? 0);
    if (max < 0 || max > 100) out.push(`${at}.outlierDetection: max ejection percent ${max} is not in range 0..100`);
  }
  const cookie = obj(obj(obj(p.loadBalancer).consistentHash).httpCookie);
  if (Object.keys(cookie).length > 0 && str(cookie.name) === '') out.push(`${at}.loadBalancer.consistentHash.httpCookie: name required`);
  return out;
}

function destinationRule(spec: Obj): string[] {
  const out = str(spec.host) === '' ? ['spec.host: destination rule must have a host'] : [];
  const names = new Set<string>();
  list(spec.subsets).forEach((s, i) => {
    const subset = obj(s);
    const name = str(subset.name);
    if (!DNS_LABEL.test(name)) out.push(`spec.subsets[${i}]: subset name is invalid: ${JSON.stringify(name)}`);
    if (names.has(name)) out.push(`spec.subsets[${i}]: duplicate subset names: ${name}`);
    names.add(name);
    out.push(...trafficPolicyErrors(subset.trafficPolicy, `spec.subsets[${i}].trafficPolicy`));
  });
  return [...out, ...trafficPolicyErrors(spec.trafficPolicy, 'spec.trafficPolicy')];
}

/** security.CheckEmptyValues: no empty string in any source or operation value list. */
function authorizationPolicy(spec: Obj): string[] {
  return list(spec.rules).flatMap((r, i) => {
    const rule = obj(r);
    const blocks = [
      ...list(rule.from).map((f, j) => [`spec.rules[${i}].from[${j}].source`, obj(obj(f).source)] as const),
      ...list(rule.to).map((t, j) => [`spec.rules[${i}].to[${j}].operation`, obj(obj(t).operation)] as const),
    ];
    return blocks.flatMap(([at, fields]) =>
      Object.entries(fields).flatMap(([field, values]) =>
        list(values).some((v) => v === '') ? [`${at}.${field}: empty value not allowed`] : [],
      ),
    );
  });
}

/** Every reason istiod's webhook would refuse the object (empty when it would accept it), prefixed with kind/name. */
export function istioValidationErrors(manifest: ManifestLike): string[] {
  const spec = obj(manifest.spec);
  const errors = ((): string[] => {
    switch (manifest.kind) {
      case 'VirtualService':
        return virtualService(spec);
      case 'DestinationRule':
        return destinationRule(spec);
      case 'AuthorizationPolicy':
        return authorizationPolicy(spec);
      default:
        return [];
    }
  })();
  return errors.map((e) => `istio ${String(manifest.kind)}/${str(obj(manifest.metadata).name)}: ${e}`);
}
