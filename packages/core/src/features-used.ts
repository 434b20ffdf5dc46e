import type { FeatureName } from './features.js';
import type { FieldPath } from './diagnostics/field-path.js';
import type { RouteMatch, RouteRule } from './model/generated.js';
import { meshSettings } from './model/defaults.js';
import type { LoadedObject } from './model/kinds.js';
import type { PolicySet } from './model/policy-set.js';

/** One use of a neutral feature: which object, which field. */
export interface FeatureUse {
  readonly feature: FeatureName;
  readonly object: LoadedObject;
  readonly path: FieldPath;
}

/**
 * Every feature a policy set uses, with where. Adapters must account for each use whose feature
 * they do not fully support (a diagnostic), and the dashboard's "for my policies" report starts here.
 */
export function featuresUsed(set: PolicySet): FeatureUse[] {
  const uses: FeatureUse[] = [];
  const use = (object: LoadedObject, feature: FeatureName, path: FieldPath) => uses.push({ feature, object, path });
  for (const r of set.routes) r.object.spec.rules.forEach((rule, i) => ruleFeatures(rule, ['spec', 'rules', i], (f, p) => use(r, f, p)));
  for (const p of set.trafficPolicies) {
    const s = p.object.spec;
    const at = (f: FeatureName, field: string) => use(p, f, ['spec', field]);
    if (s.connectTimeout) at('timeout.connect', 'connectTimeout');
    if (s.requestTimeout) at('timeout.request', 'requestTimeout');
    if (s.idleTimeout) at('timeout.idle', 'idleTimeout');
    if (s.retries) retryFeatures(s.retries, ['spec', 'retries'], (f, path) => use(p, f, path));
    if (s.retryBudget) at('retry.budget', 'retryBudget');
    if (s.circuitBreaker) at('circuitBreaker', 'circuitBreaker');
    if (s.outlierDetection) at('outlierDetection', 'outlierDetection');
    if (s.loadBalancer)
      at(s.loadBalancer.algorithm === 'consistent-hash' ? 'loadBalancer.consistentHash' : 'loadBalancer.algorithm', 'loadBalancer');
    if (s.failover) at('failover.locality', 'failover');
  }
  for (const a of set.accessPolicies) {
    if (a.object.spec.mode === 'audit') use(a, 'access.audit', ['spec', 'mode']);
    a.object.spec.rules.forEach((rule, i) => {
      const path = ['spec', 'rules', i];
      if (rule.action === 'deny') use(a, 'access.deny', [...path, 'action']);
      rule.from?.forEach((src, j) => {
        if (src.service || src.identity) use(a, 'access.sourceService', [...path, 'from', j]);
        if (src.namespace && !src.service) use(a, 'access.sourceNamespace', [...path, 'from', j, 'namespace']);
        if (src.version) use(a, 'access.sourceVersion', [...path, 'from', j, 'version']);
      });
      if (rule.to.ports) use(a, 'access.destinationPort', [...path, 'to', 'ports']);
      if (rule.to.methods || rule.to.paths) use(a, 'access.methodPath', [...path, 'to']);
    });
  }
  if (set.mesh) {
    const m = meshSettings(set.mesh.object);
    if (m.defaultAccess === 'deny') use(set.mesh, 'access.defaultDeny', ['spec', 'defaultAccess']);
    use(set.mesh, `mtls.${m.mtlsMode}` as FeatureName, ['spec', 'mtls', 'mode']);
    if (m.metricsEnabled) use(set.mesh, 'observability.metrics', ['spec', 'observability', 'metrics']);
    if (set.mesh.object.spec?.observability?.tracing) use(set.mesh, 'observability.tracing', ['spec', 'observability', 'tracing']);
    if (m.accessLogs) use(set.mesh, 'observability.accessLogs', ['spec', 'observability', 'accessLogs']);
  }
  for (const ro of set.rollouts) {
    const s = ro.object.spec.strategy;
    use(ro, 'canary' in s ? 'rollout.canary' : 'abTest' in s ? 'rollout.abTest' : 'rollout.blueGreen', ['spec', 'strategy']);
  }
  return uses;
}

type Emit = (feature: FeatureName, path: FieldPath) => void;

function ruleFeatures(rule: RouteRule, path: FieldPath, emit: Emit): void {
  (rule.matches ?? []).forEach((m, j) => matchFeatures(m, [...path, 'matches', j], emit));
  if ((rule.matches ?? []).length > 0) emit('route.precedence', [...path, 'matches']);
  rule.destinations?.forEach((d, j) => {
    if (d.version) emit('split.versions', [...path, 'destinations', j, 'version']);
  });
  if ((rule.destinations?.length ?? 0) > 1) emit('split.weighted', [...path, 'destinations']);
  if (rule.mirror) emit('mirror', [...path, 'mirror']);
  if (rule.rewrite?.pathPrefix || rule.rewrite?.fullPath) emit('rewrite.path', [...path, 'rewrite']);
  if (rule.rewrite?.host) emit('rewrite.host', [...path, 'rewrite', 'host']);
  if (rule.redirect) emit('redirect', [...path, 'redirect']);
  if (rule.requestHeaders) emit('headers.request', [...path, 'requestHeaders']);
  if (rule.responseHeaders) emit('headers.response', [...path, 'responseHeaders']);
  if (rule.fault?.delay) emit('fault.delay', [...path, 'fault', 'delay']);
  if (rule.fault?.abort) emit('fault.abort', [...path, 'fault', 'abort']);
  if (rule.timeout) emit('timeout.request', [...path, 'timeout']);
  if (rule.retries) retryFeatures(rule.retries, [...path, 'retries'], emit);
}

function matchFeatures(m: RouteMatch, path: FieldPath, emit: Emit): void {
  if (m.path) {
    const kind = 'exact' in m.path ? 'Exact' : 'prefix' in m.path ? 'Prefix' : 'Regex';
    emit(`route.path${kind}`, [...path, 'path']);
    if (!('regex' in m.path) && m.path.ignoreCase) emit('route.pathIgnoreCase', [...path, 'path', 'ignoreCase']);
  }
  for (const [name, h] of Object.entries(m.headers ?? {})) {
    const kind = 'exact' in h ? 'Exact' : 'prefix' in h ? 'Prefix' : 'regex' in h ? 'Regex' : 'present' in h ? 'Present' : 'Absent';
    emit(`route.header${kind}`, [...path, 'headers', name]);
  }
  if (m.queryParams) emit('route.queryParam', [...path, 'queryParams']);
  if (m.method) emit('route.method', [...path, 'method']);
}

function retryFeatures(r: NonNullable<RouteRule['retries']>, path: FieldPath, emit: Emit): void {
  emit('retry.attempts', [...path, 'attempts']);
  if (r.perTryTimeout) emit('timeout.perTry', [...path, 'perTryTimeout']);
  if (r.on || r.statusCodes) emit('retry.conditions', [...path, r.on ? 'on' : 'statusCodes']);
  if (r.backoff) emit('retry.backoff', [...path, 'backoff']);
}
