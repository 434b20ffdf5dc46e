import type { IncomingMessage } from 'node:http';
import type { AccessDecision } from '@anymesh/core';
import type { InstanceInfo } from '../../protocol/types.js';
import type { CompiledConfig } from '../config/compile-config.js';
import { AnymeshProxyError } from '../errors.js';
import type { AccessVerdict, CallerInfo, InboundAuthorizer } from '../listeners/inbound.js';
import type { AccessMetrics } from './access-metrics.js';
import { DEFAULT_RULE, ruleRef, type AccessNote } from './access-note.js';
import { normalizePath } from './normalize-path.js';

export interface AccessDeps {
  readonly self: InstanceInfo;
  readonly config: () => CompiledConfig | undefined;
  readonly metrics: AccessMetrics;
}

/**
 * Enforces the snapshot's AccessPolicies at the inbound sidecar with core's `compileAccess`: deny
 * rules win, then allow rules, then `Mesh.spec.defaultAccess`. The caller is its VERIFIED identity
 * (`CallerInfo.identity`, from the client certificate) — never a header: without a certificate a
 * request matches no source and only rules without `from` (or the default) can let it through.
 * Audit-mode policies are evaluated and reported (metrics, logs), never enforced.
 */
export function accessAuthorizer(deps: AccessDeps): InboundAuthorizer {
  const { self, metrics } = deps;
  const destination = `${self.namespace}/${self.service}`;
  return (caller: CallerInfo, req: IncomingMessage): AccessVerdict | AnymeshProxyError | undefined => {
    const config = deps.config();
    // Without a config there is no policy to enforce yet; the request fails later on NO_CONFIG paths or reaches the app as before.
    if (config === undefined) return undefined;
    const method = req.method ?? 'GET';
    const received = req.url ?? '/';
    const q = received.indexOf('?');
    const raw = q === -1 ? received : received.slice(0, q);
    const path = normalizePath(raw);
    // The app gets the path that was authorized, not one it could read differently.
    if (path !== raw) req.url = q === -1 ? path : path + received.slice(q);
    const decision = config.access({
      identity: caller.identity,
      namespace: self.namespace,
      service: self.service,
      port: self.servicePort,
      method,
      path,
    });
    const note = noteOf(decision);
    metrics.decision(decision.allowed ? 'allow' : 'deny', policyOf(decision));
    if (decision.audit !== undefined)
      metrics.decision(decision.audit.wouldAllow ? 'audit_allow' : 'audit_deny', policyLabel(decision.audit.rule?.policy));
    if (decision.allowed) return { denied: undefined, note };
    const who = caller.identity ?? 'a caller without a verified identity';
    const by = decision.rule === undefined ? 'the mesh default (defaultAccess: deny); no rule allows it' : `rule ${note.rule}`;
    const message = `${method} ${path} on ${destination} from ${who} denied by ${by}`;
    return {
      denied: new AnymeshProxyError('ACCESS_DENIED', message),
      body: {
        error: 'access-denied',
        message,
        policy: decision.rule?.policy ?? null,
        rule: decision.rule === undefined ? DEFAULT_RULE : (decision.rule.name ?? decision.rule.index),
        source: caller.identity ?? null,
        destination,
      },
      note,
    };
  };
}

function noteOf(decision: AccessDecision): AccessNote {
  const base = { decision: decision.allowed ? ('allow' as const) : ('deny' as const), rule: ruleRef(decision.rule) };
  return decision.audit === undefined
    ? base
    : { ...base, audit: { wouldAllow: decision.audit.wouldAllow, rule: ruleRef(decision.audit.rule) } };
}

function policyOf(decision: AccessDecision): string {
  return policyLabel(decision.rule?.policy);
}

function policyLabel(policy: string | undefined): string {
  return policy ?? DEFAULT_RULE;
}
