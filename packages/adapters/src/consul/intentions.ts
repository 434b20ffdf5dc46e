import { findService, namespaceOf, resolveSource, type AccessPolicy, type AccessRule, type LoadedObject } from '@anymesh/core';
import type { Manifest } from '../types.js';
import { consulManifest, isHttpProtocol, protocolOf, type ConsulContext } from './context.js';
import type { IntentionSourceSpec } from './consul-types.js';
import { intentionSource, operationMatch, type ApplicableRule, type OperationMatch } from './intention-permissions.js';
import { identitiesOf, ruleCallers, type RuleCallers } from './intention-sources.js';

interface DestinationRule {
  readonly loaded: LoadedObject<AccessPolicy>;
  readonly index: number;
  readonly action: 'allow' | 'deny';
  readonly callers: RuleCallers;
  readonly operation: OperationMatch;
}

/** The name of the intention that sets the neutral default for every pair nothing else governs. */
export const DEFAULT_INTENTION = 'anymesh-default-access';

function failClosed(
  ctx: ConsulContext,
  d: DestinationRule,
  feature: 'access.sourceVersion' | 'access.destinationPort' | 'access.methodPath',
  what: string,
  /** The field at fault, under the rule; the rule itself when no one field is. */
  at: readonly (string | number)[] = [],
) {
  const effect = d.action === 'allow' ? 'the allow is left out (fail closed)' : 'the deny is widened to the whole service (fail closed)';
  ctx.gaps.unsupported(d.loaded, ['spec', 'rules', d.index, ...at], feature, `${what}; ${effect}`);
}

/** The first source naming a version (else a SPIFFE identity) of a partly matched service: where the report belongs. */
function partialSourceField(rule: AccessRule, partial: ReadonlySet<string>, policyNamespace: string): (string | number)[] {
  const from = rule.from ?? [];
  const byVersion = from.findIndex(
    (s) => s.version !== undefined && s.service !== undefined && partial.has(`${s.namespace ?? policyNamespace}/${s.service}`),
  );
  if (byVersion !== -1) return ['from', byVersion, 'version'];
  const byIdentity = from.findIndex((s) => s.identity !== undefined);
  return byIdentity !== -1 ? ['from', byIdentity, 'identity'] : ['from'];
}

/** A rule as Consul can enforce it, failing closed where it cannot be exact; undefined when dropped. */
function destinationRule(
  ctx: ConsulContext,
  loaded: LoadedObject<AccessPolicy>,
  rule: AccessRule,
  index: number,
): DestinationRule | undefined {
  const ns = namespaceOf(loaded.object);
  const callers = ruleCallers(ctx.set, rule, ns, ctx.mesh.trustDomain);
  let d: DestinationRule = { loaded, index, action: rule.action, callers, operation: operationMatch(rule.to) };
  const target = findService(ctx.set, ns, rule.to.service);
  if (callers.partial.size > 0) {
    failClosed(
      ctx,
      d,
      'access.sourceVersion',
      `intentions name callers by service, not version or service account: ${[...callers.partial].join(', ')} only partly matches`,
      partialSourceField(rule, callers.partial, ns),
    );
    const services = rule.action === 'deny' ? new Set([...callers.services, ...callers.partial]) : callers.services;
    d = { ...d, callers: { ...callers, services, partial: new Set() } };
  }
  if (callers.unknown.length > 0) {
    ctx.gaps.unsupported(
      loaded,
      ['spec', 'rules', index, 'from'],
      'access.sourceService',
      `no service of the policy set runs as ${callers.unknown.join(', ')}, and intentions name callers by service name; left out for that caller`,
    );
  }
  const ports = rule.to.ports;
  if (target && ports && !target.spec.ports.every((p) => ports.includes(p.port))) {
    failClosed(ctx, d, 'access.destinationPort', 'intentions apply to the whole service, not to ports', ['to', 'ports']);
    if (rule.action === 'allow') return undefined;
  }
  if (d.operation !== 'all' && target && !isHttpProtocol(protocolOf(target))) {
    failClosed(ctx, d, 'access.methodPath', 'L7 permissions need an HTTP protocol and the service is tcp', [
      'to',
      rule.to.methods ? 'methods' : 'paths',
    ]);
    if (rule.action === 'allow') return undefined;
    d = { ...d, operation: 'all' };
  }
  reportIdentityAssumptions(ctx, d, rule);
  const empty = !callers.any && d.callers.services.size === 0 && callers.namespaces.size === 0;
  return empty ? undefined : d;
}

function reportIdentityAssumptions(ctx: ConsulContext, d: DestinationRule, rule: AccessRule): void {
  const at = ['spec', 'rules', d.index, 'from'];
  (rule.from ?? []).forEach((source, i) => {
    if (source.version === undefined) return;
    const shared = resolveSource(source, ctx.set, namespaceOf(d.loaded.object), ctx.mesh.trustDomain).sharedWith;
    if (shared.length === 0) return;
    ctx.gaps.approximated(
      d.loaded,
      [...at, i, 'version'],
      'access.sourceVersion',
      `${source.service} ${source.version} shares its identity with ${shared.join(', ')}: like any identity-based check, the intention admits them too`,
    );
  });
  for (const key of d.callers.services) {
    const [ns, name] = key.split('/') as [string, string];
    const service = findService(ctx.set, ns, name);
    const accounts = service ? [...identitiesOf(service)].filter((sa) => sa !== name) : [];
    if (accounts.length > 0) {
      ctx.gaps.assumption(
        d.loaded,
        at,
        'access.sourceService',
        `Consul identifies the caller ${name} by its service name, not its service accounts (${accounts.join(', ')}); with ACLs consul-k8s requires them to match`,
      );
    }
  }
  const destinationNs = namespaceOf(d.loaded.object);
  const crossNamespace = [...d.callers.services].some((key) => !key.startsWith(`${destinationNs}/`));
  if (d.callers.namespaces.size > 0 || crossNamespace) {
    ctx.gaps.assumption(
      d.loaded,
      at,
      'access.sourceNamespace',
      'namespace sources need Consul Enterprise namespaces mirroring Kubernetes namespaces',
    );
  }
}

/** Source keys: `ns/name` for a service, `ns/*` for a namespace, `*` for any caller. */
function sourceKeys(rules: readonly DestinationRule[]): string[] {
  const services = new Set(rules.flatMap((r) => [...r.callers.services]));
  const namespaces = new Set(rules.flatMap((r) => [...r.callers.namespaces].map((n) => `${n}/*`)));
  const any = rules.some((r) => r.callers.any) ? ['*'] : [];
  return [...[...services].sort(), ...[...namespaces].sort(), ...any];
}

/**
 * The rules governing each source key, in rule order: a rule without `from` governs every key, a
 * namespace source its namespace's keys, a service source its own key. Indexed once per destination,
 * so a destination with many callers is not scanned once per caller.
 */
function governingRules(rules: readonly DestinationRule[]): (key: string) => DestinationRule[] {
  const any: number[] = [];
  const byNamespace = new Map<string, number[]>();
  const byService = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  rules.forEach((r, i) => {
    if (r.callers.any) any.push(i);
    else {
      for (const ns of r.callers.namespaces) add(byNamespace, ns, i);
      for (const key of r.callers.services) add(byService, key, i);
    }
  });
  return (key) => {
    if (key === '*') return any.map((i) => rules[i]!);
    const [ns, name] = key.split('/') as [string, string];
    const scoped = name === '*' ? [] : (byService.get(key) ?? []);
    const indices = new Set([...any, ...(byNamespace.get(ns) ?? []), ...scoped]);
    return [...indices].sort((a, b) => a - b).map((i) => rules[i]!);
  };
}

/**
 * ServiceIntentions per destination. Consul lets exactly one source entry decide a pair of services
 * (the most specific: name > namespace wildcard > `*`), regardless of allow or deny. The neutral
 * model instead lets any matching deny win over any allow. So each source entry carries every rule
 * that applies to its callers, including the rules written for broader sources, ordered deny-first.
 */
export function serviceIntentions(ctx: ConsulContext): Manifest[] {
  const byDestination = new Map<string, DestinationRule[]>();
  for (const loaded of ctx.set.accessPolicies) {
    if (loaded.object.spec.mode === 'audit') {
      ctx.gaps.unsupported(
        loaded,
        ['spec', 'mode'],
        'access.audit',
        'intentions have no dry-run mode; this policy is not translated (it is not enforced in the neutral model either)',
      );
      continue;
    }
    loaded.object.spec.rules.forEach((rule, index) => {
      const d = destinationRule(ctx, loaded, rule, index);
      if (!d) return;
      const key = `${namespaceOf(loaded.object)}/${rule.to.service}`;
      const list = byDestination.get(key);
      if (list) list.push(d);
      else byDestination.set(key, [d]);
    });
  }
  const fallback = ctx.mesh.defaultAccess;
  const manifests = [...byDestination].map(([key, rules]) => {
    const [ns, name] = key.split('/') as [string, string];
    const keys = sourceKeys(rules);
    const governing = governingRules(rules);
    // Consul reads a source without a namespace as the entry's namespace. Once a namespace wildcard
    // is listed (Enterprise namespaces), "any caller" must say `namespace: '*'`, or it is the same
    // source as `<ns>/*` and Consul refuses the entry ("defines ... more than once").
    const namespaced = keys.some((k) => k.endsWith('/*'));
    const sources: IntentionSourceSpec[] = keys.map((k) => {
      const applicable: ApplicableRule[] = governing(k);
      const [sourceNs, sourceName] = k === '*' ? [undefined, '*'] : (k.split('/') as [string, string]);
      // A namespace wildcard always names its namespace, or it would read as "any caller".
      const base =
        sourceNs === undefined
          ? { name: '*', ...(namespaced ? { namespace: '*' } : {}) }
          : sourceNs === ns && sourceName !== '*'
            ? { name: sourceName }
            : { name: sourceName, namespace: sourceNs };
      return intentionSource(base, applicable, fallback);
    });
    const policies = [...new Set(rules.map((r) => r.loaded.object))];
    return consulManifest('ServiceIntentions', name, ns, policies, { destination: { name }, sources });
  });
  const defaultSource = { name: '*', action: fallback };
  const sources = ctx.set.mesh ? [ctx.set.mesh.object] : [];
  manifests.push(
    consulManifest('ServiceIntentions', DEFAULT_INTENTION, ctx.meshNamespace, sources, {
      destination: { name: '*' },
      sources: [defaultSource],
    }),
  );
  return manifests;
}
