import {
  findService,
  namespaceOf,
  selectorOf,
  type AccessPolicy,
  type AccessRule,
  type LoadedObject,
  type PolicyObject,
} from '@anymesh/core';
import { managedMetadata } from '../shared/metadata.js';
import type { Manifest } from '../types.js';
import { istioSources } from './access-sources.js';
import type { IstioContext } from './context.js';
import { SECURITY_V1 } from './names.js';

type Action = 'ALLOW' | 'DENY' | 'AUDIT';

interface Bucket {
  readonly namespace: string;
  readonly service: string;
  readonly action: Action;
  readonly rules: Record<string, unknown>[];
  readonly sources: PolicyObject[];
}

/**
 * The ports a rule must name in Istio. An AuthorizationPolicy selects pods, not a Service: a rule of
 * a service whose pods another service may also select (two Services on one Deployment, a public and
 * an admin port) would apply to the other's ports too, and a DENY with methods or paths also applies
 * to the pods' TCP ports, where Istio ignores HTTP-only fields — it would refuse every connection.
 * So such a rule without ports gets the service's own ports (its HTTP ports when it tests methods or
 * paths). Undefined: no restriction needed.
 */
function portsOf(ctx: IstioContext, loaded: LoadedObject<AccessPolicy>, rule: AccessRule, i: number): number[] | undefined {
  const service = findService(ctx.set, namespaceOf(loaded.object), rule.to.service);
  if (!service) return rule.to.ports;
  const mates = ctx.podMates.matesOf(service);
  const l7 = rule.to.methods !== undefined || rule.to.paths !== undefined;
  const tcpOnPods = [service, ...mates].some((s) => s.spec.ports.some((p) => p.protocol === 'tcp'));
  let ports = rule.to.ports;
  if (ports === undefined && (mates.length > 0 || (l7 && tcpOnPods))) {
    ports = service.spec.ports.filter((p) => !l7 || p.protocol !== 'tcp').map((p) => p.port);
  }
  const shared = (ports ?? []).filter((n) => mates.some((m) => m.spec.ports.some((p) => p.port === n)));
  if (shared.length > 0) {
    const names = mates.filter((m) => m.spec.ports.some((p) => shared.includes(p.port))).map((m) => m.metadata.name);
    ctx.gaps.approximated(
      loaded,
      ['spec', 'rules', i, 'to'],
      'access.destinationPort',
      `Istio authorizes pods, not Services: ${names.join(', ')} may select the same pods as ${service.metadata.name} and also use port ${shared.join(', ')}, so this rule applies to ${names.length > 1 ? 'them' : 'it'} as well`,
    );
  }
  return ports;
}

function operation(ctx: IstioContext, loaded: LoadedObject<AccessPolicy>, rule: AccessRule, i: number) {
  const to = { ...rule.to, ports: portsOf(ctx, loaded, rule, i) };
  if (to.ports) {
    ctx.gaps.assumption(
      loaded,
      ['spec', 'rules', i, 'to', 'ports'],
      'access.destinationPort',
      rule.to.ports
        ? 'each service port equals the container port (Istio AuthorizationPolicy ports are workload ports, not Service ports)'
        : `each service port equals the container port: the rule names ${rule.to.service}'s own ${rule.to.methods || rule.to.paths ? 'HTTP ' : ''}ports, because its pods may also serve other ports (another Service selecting them, or TCP ports where Istio ignores methods and paths)`,
    );
  }
  if (!to.ports && !to.methods && !to.paths) return undefined;
  // Neutral path patterns (exact, `prefix*`, `*`) have the same meaning in Istio's operation.paths.
  return [{ operation: { ports: to.ports?.map(String), methods: to.methods, paths: to.paths } }];
}

function actionOf(ctx: IstioContext, policy: AccessPolicy, rule: AccessRule): Action | undefined {
  if (policy.spec.mode === 'audit') return 'AUDIT';
  if (rule.action === 'deny') return 'DENY';
  // Under default allow an allow rule cannot change any decision; an Istio ALLOW policy would deny everything else.
  return ctx.mesh.defaultAccess === 'deny' ? 'ALLOW' : undefined;
}

function collect(ctx: IstioContext): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const loaded of ctx.set.accessPolicies) {
    const p = loaded.object;
    const namespace = namespaceOf(p);
    if (p.spec.mode === 'audit') {
      ctx.gaps.approximated(
        loaded,
        ['spec', 'mode'],
        'access.audit',
        'written as Istio AUDIT policies, which only mark matching requests for an audit-capable telemetry provider; ' +
          'they do not report the decision the rules would have made',
      );
    }
    p.spec.rules.forEach((rule, i) => {
      const action = actionOf(ctx, p, rule);
      if (action === undefined) {
        ctx.gaps.assumption(
          loaded,
          ['spec', 'rules', i, 'action'],
          'access.sourceService',
          'nothing: with defaultAccess allow this allow rule cannot change any decision (only deny rules can), so no Istio ALLOW policy ' +
            'is written; one would make every request it does not match denied',
        );
        return;
      }
      const { from, empty } = istioSources(ctx, loaded, rule, i, namespace);
      if (empty) return; // Every source was dropped (reported): the rule allows nobody, which is no rule at all.
      const key = `${namespace}/${rule.to.service}/${action}`;
      const bucket = buckets.get(key) ?? { namespace, service: rule.to.service, action, rules: [], sources: [] };
      bucket.rules.push({ from, to: operation(ctx, loaded, rule, i) });
      bucket.sources.push(p);
      buckets.set(key, bucket);
    });
  }
  return buckets;
}

/**
 * Neutral access → Istio AuthorizationPolicies, one per (service, action). Istio evaluates DENY before
 * ALLOW and denies a workload's unmatched requests as soon as any ALLOW policy selects it, so ALLOW
 * policies are written only under defaultAccess deny, where that is exactly the neutral meaning; the
 * default deny itself is an allow-nothing policy per namespace that holds services.
 */
export function authorizationPolicies(ctx: IstioContext): Manifest[] {
  const out: Manifest[] = [];
  for (const b of collect(ctx).values()) {
    const service = findService(ctx.set, b.namespace, b.service);
    const name = `${b.service}-${b.action.toLowerCase()}`;
    out.push({
      apiVersion: SECURITY_V1,
      kind: 'AuthorizationPolicy',
      metadata: managedMetadata(name, b.namespace, b.sources),
      spec: { selector: { matchLabels: service ? selectorOf(service) : { app: b.service } }, action: b.action, rules: b.rules },
    });
  }
  if (ctx.mesh.defaultAccess === 'deny' && ctx.set.mesh) {
    const namespaces = [...new Set([...ctx.set.services.values()].map((s) => namespaceOf(s.object)))];
    for (const namespace of namespaces) {
      ctx.gaps.assumption(
        ctx.set.mesh,
        ['spec', 'defaultAccess'],
        'access.defaultDeny',
        `every workload of namespace ${namespace}, modelled or not, is default-deny (an allow-nothing AuthorizationPolicy there)`,
      );
      out.push({
        apiVersion: SECURITY_V1,
        kind: 'AuthorizationPolicy',
        metadata: managedMetadata('allow-nothing', namespace, [ctx.set.mesh.object]),
        // An ALLOW policy without rules matches nothing: every workload of the namespace is default-deny.
        spec: { action: 'ALLOW' },
      });
    }
  }
  return out;
}
