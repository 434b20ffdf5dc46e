import {
  normalizePrefix,
  type FieldPath,
  type HeaderModifier,
  type LoadedObject,
  type Redirect,
  type RouteRule,
  type Service,
} from '@anymesh/core';
import { backendRefs, type BackendRef } from './backends.js';
import type { LinkerdContext } from './context.js';
import { gatewayDuration } from './gateway-duration.js';

/** What a Gateway API rule does with the requests it matches (everything but `matches`). */
export interface GatewayRuleAction {
  backendRefs?: BackendRef[];
  filters?: Record<string, unknown>[];
  timeouts?: { request: string };
}

/** Status codes of Gateway API's standard channel RequestRedirect (303/307/308 are experimental). */
const STANDARD_REDIRECT_CODES = new Set([301, 302]);

/** Gateway API's HTTPHeader value has minLength 1: an empty value cannot be written (reported in reportRuleGaps). */
function headerModifier(m: HeaderModifier): Record<string, unknown> | undefined {
  const pairs = (o: Record<string, string> | undefined) => {
    const written = Object.entries(o ?? {}).filter(([, value]) => value !== '');
    return written.length === 0 ? undefined : written.map(([name, value]) => ({ name, value }));
  };
  const modifier = { set: pairs(m.set), add: pairs(m.add), remove: m.remove };
  return Object.values(modifier).some((v) => v !== undefined) ? modifier : undefined;
}

function reportEmptyHeaderValues(ctx: LinkerdContext, loaded: LoadedObject, rule: RouteRule, at: FieldPath): void {
  for (const side of ['requestHeaders', 'responseHeaders'] as const) {
    for (const op of ['set', 'add'] as const) {
      for (const [name, value] of Object.entries(rule[side]?.[op] ?? {})) {
        if (value !== '') continue;
        ctx.gaps.unsupported(
          loaded,
          [...at, side, op, name],
          side === 'requestHeaders' ? 'headers.request' : 'headers.response',
          `Gateway API header values cannot be empty (HTTPHeader value minLength 1); ${op} of "${name}" to "" is left out`,
        );
      }
    }
  }
}

/**
 * Reports, once per neutral rule, what Linkerd cannot do; answers whether the rule can be emitted
 * at all (a redirect Gateway API cannot write is left out whole rather than turned into a forward).
 */
export function reportRuleGaps(ctx: LinkerdContext, loaded: LoadedObject, rule: RouteRule, at: FieldPath): boolean {
  const nothing = 'nothing is emitted for it; the rest of the rule is translated';
  reportEmptyHeaderValues(ctx, loaded, rule, at);
  if (rule.mirror) ctx.gaps.unsupported(loaded, [...at, 'mirror'], 'mirror', `Linkerd's outbound policy has no RequestMirror; ${nothing}`);
  if (rule.rewrite?.pathPrefix !== undefined || rule.rewrite?.fullPath !== undefined) {
    ctx.gaps.unsupported(loaded, [...at, 'rewrite'], 'rewrite.path', `Linkerd's outbound policy has no URLRewrite filter; ${nothing}`);
  }
  if (rule.rewrite?.host !== undefined) {
    ctx.gaps.unsupported(
      loaded,
      [...at, 'rewrite', 'host'],
      'rewrite.host',
      `Linkerd's outbound policy has no URLRewrite filter; ${nothing}`,
    );
  }
  if (rule.fault?.delay) {
    ctx.gaps.unsupported(loaded, [...at, 'fault', 'delay'], 'fault.delay', `Linkerd has no delay injection; ${nothing}`);
  }
  if (rule.fault?.abort) {
    ctx.gaps.unsupported(
      loaded,
      [...at, 'fault', 'abort'],
      'fault.abort',
      `Linkerd has no abort filter in HTTPRoute; the documented workaround (a weighted backend running an error-injecting server) needs a workload anymesh does not deploy; ${nothing}`,
    );
  }
  const redirect = rule.redirect;
  if (redirect?.statusCode !== undefined && !STANDARD_REDIRECT_CODES.has(redirect.statusCode)) {
    ctx.gaps.unsupported(
      loaded,
      [...at, 'redirect', 'statusCode'],
      'redirect',
      `Gateway API's standard RequestRedirect allows only 301 and 302, not ${redirect.statusCode}; the rule is left out (requests fall through to less specific rules)`,
    );
    return false;
  }
  if (redirect?.pathPrefix !== undefined && (rule.matches ?? []).some((m) => m.path && 'prefix' in m.path && m.path.ignoreCase)) {
    ctx.gaps.unsupported(
      loaded,
      [...at, 'redirect', 'pathPrefix'],
      'redirect',
      'ReplacePrefixMatch needs a PathPrefix match, and a case-insensitive prefix is written as a regex; the rule is left out',
    );
    return false;
  }
  if (redirect) reportRedirectApproximations(ctx, loaded, redirect, at);
  return true;
}

const WELL_KNOWN_PORT = { http: 80, https: 443 } as const;

/**
 * A Gateway API RequestRedirect as Linkerd's proxy applies it. The proxy keeps the request's port
 * when only the scheme changes, so a scheme without a port gets the scheme's well-known port
 * written (the neutral default, Gateway API's), which the proxy then leaves out of the Location.
 * A prefix replacement loses its trailing `/`: the proxy joins it to the rest of the path as is,
 * so `/x/` would turn `/old/a` into `/x//a`.
 */
function requestRedirect(r: Redirect): Record<string, unknown> {
  const path =
    r.path !== undefined
      ? { type: 'ReplaceFullPath', replaceFullPath: r.path }
      : r.pathPrefix !== undefined
        ? { type: 'ReplacePrefixMatch', replacePrefixMatch: normalizePrefix(r.pathPrefix) }
        : undefined;
  const port = r.port ?? (r.scheme === undefined ? undefined : WELL_KNOWN_PORT[r.scheme]);
  return { scheme: r.scheme, hostname: r.host, port, path, statusCode: r.statusCode ?? 302 };
}

/** What Linkerd's proxy does differently with a redirect it can write: reported, the rule is kept. */
function reportRedirectApproximations(ctx: LinkerdContext, loaded: LoadedObject, r: Redirect, at: FieldPath): void {
  if (r.path !== undefined) {
    ctx.gaps.approximated(
      loaded,
      [...at, 'redirect', 'path'],
      'redirect',
      "Linkerd's proxy builds a ReplaceFullPath Location from the new path alone: the request's query string is dropped (the neutral redirect keeps it)",
    );
  }
  if (r.pathPrefix !== undefined && normalizePrefix(r.pathPrefix) === '/') {
    ctx.gaps.approximated(
      loaded,
      [...at, 'redirect', 'pathPrefix'],
      'redirect',
      "Linkerd's proxy joins a ReplacePrefixMatch of / to the rest of the path without dropping a slash: /old/a redirects to //a instead of /a",
    );
  }
}

/** The Gateway API action of a neutral rule on one port of its service. */
export function ruleAction(
  ctx: LinkerdContext,
  loaded: LoadedObject,
  service: Service,
  port: number,
  rule: RouteRule,
  fallbackTimeout: string | undefined,
): GatewayRuleAction {
  const filters: Record<string, unknown>[] = [];
  const requestHeaderModifier = rule.requestHeaders && headerModifier(rule.requestHeaders);
  const responseHeaderModifier = rule.responseHeaders && headerModifier(rule.responseHeaders);
  if (requestHeaderModifier) filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier });
  if (responseHeaderModifier) filters.push({ type: 'ResponseHeaderModifier', responseHeaderModifier });
  const timeout = rule.timeout ?? fallbackTimeout;
  const timeouts = timeout === undefined ? undefined : { request: gatewayDuration(timeout) };
  if (rule.redirect) {
    filters.push({ type: 'RequestRedirect', requestRedirect: requestRedirect(rule.redirect) });
    return { filters, timeouts };
  }
  return {
    backendRefs: backendRefs(ctx, loaded, service, port, rule.destinations),
    filters: filters.length > 0 ? filters : undefined,
    timeouts,
  };
}
