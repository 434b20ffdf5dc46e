import type { AccessRule, AccessTarget } from '../model/generated.js';
import { meshSettings } from '../model/defaults.js';
import { namespaceOf, objectRef } from '../model/kinds.js';
import type { PolicySet } from '../model/policy-set.js';
import { resolveSource, sourceMatches, type ResolvedSource } from './identity.js';

/** A call to authorize; `identity` is the caller's verified SPIFFE ID (undefined: no client certificate). */
export interface AccessRequest {
  readonly identity: string | undefined;
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
  readonly method: string;
  readonly path: string;
}

export interface MatchedRule {
  readonly policy: string;
  readonly index: number;
  readonly name: string | undefined;
  readonly action: 'allow' | 'deny';
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** The rule that decided, or undefined when the mesh default did. */
  readonly rule: MatchedRule | undefined;
  /** Set when an audit-mode policy would have decided differently. */
  readonly audit: { readonly wouldAllow: boolean; readonly rule: MatchedRule | undefined } | undefined;
}

interface CompiledRule {
  readonly matched: MatchedRule;
  readonly namespace: string;
  readonly sources: readonly ResolvedSource[] | undefined;
  readonly to: AccessTarget;
  readonly audit: boolean;
}

/** A path pattern of an access rule: exact, `prefix*`, or `*`. */
export function accessPathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return path === pattern;
}

function ruleMatches(rule: CompiledRule, req: AccessRequest): boolean {
  const to = rule.to;
  if (rule.namespace !== req.namespace || to.service !== req.service) return false;
  if (to.ports && !to.ports.includes(req.port)) return false;
  if (to.methods && !(to.methods as readonly string[]).includes(req.method)) return false;
  if (to.paths && !to.paths.some((p) => accessPathMatches(p, req.path))) return false;
  return rule.sources === undefined || rule.sources.some((s) => sourceMatches(s, req.identity));
}

/**
 * The neutral access semantics: any matching deny denies; otherwise any matching allow allows;
 * otherwise Mesh.spec.defaultAccess decides. Audit-mode policies are evaluated too and reported,
 * never enforced.
 */
export function compileAccess(set: PolicySet): (req: AccessRequest) => AccessDecision {
  const mesh = meshSettings(set.mesh?.object);
  const rules: CompiledRule[] = set.accessPolicies.flatMap((loaded) => {
    const p = loaded.object;
    const ns = namespaceOf(p);
    return p.spec.rules.map((r: AccessRule, index) => ({
      matched: { policy: objectRef(p), index, name: r.name, action: r.action },
      namespace: ns,
      sources: r.from?.map((s) => resolveSource(s, set, ns, mesh.trustDomain)),
      to: r.to,
      audit: p.spec.mode === 'audit',
    }));
  });
  const defaultAllow = mesh.defaultAccess === 'allow';
  const decide = (req: AccessRequest, withAudit: boolean): { allowed: boolean; rule: MatchedRule | undefined } => {
    let allow: MatchedRule | undefined;
    for (const rule of rules) {
      if (rule.audit && !withAudit) continue;
      if (!ruleMatches(rule, req)) continue;
      if (rule.matched.action === 'deny') return { allowed: false, rule: rule.matched };
      allow ??= rule.matched;
    }
    return allow ? { allowed: true, rule: allow } : { allowed: defaultAllow, rule: undefined };
  };
  const hasAudit = rules.some((r) => r.audit);
  return (req) => {
    const enforced = decide(req, false);
    if (!hasAudit) return { ...enforced, audit: undefined };
    const audited = decide(req, true);
    return {
      ...enforced,
      audit: audited.allowed !== enforced.allowed ? { wouldAllow: audited.allowed, rule: audited.rule } : undefined,
    };
  };
}
