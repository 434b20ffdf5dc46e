import type { FieldPath, HeaderModifier, LoadedObject, Redirect, RouteRule, TrafficPolicy } from '@anymesh/core';
import { hostOf } from './names.js';
import { istioRetries } from './retries.js';
import type { IstioContext } from './context.js';

/** Where a rule sits: the route object, the rule's path, and the service it routes. */
export interface RuleSite {
  readonly loaded: LoadedObject;
  readonly path: FieldPath;
  readonly namespace: string;
  readonly service: string;
  /** The service-wide TrafficPolicy: its requestTimeout and retries apply to rules without their own. */
  readonly policy: LoadedObject<TrafficPolicy> | undefined;
}

/**
 * Header values are Envoy format strings: `%NAME%` is a variable and a lone `%` is refused by istiod
 * ("header value configuration … is invalid"). `%%` is Envoy's literal percent, so escaping keeps
 * the neutral value exactly.
 */
function literalValues(values: Record<string, string> | undefined): Record<string, string> | undefined {
  return values && Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value.replaceAll('%', '%%')]));
}

function headerOps(h: HeaderModifier | undefined) {
  if (!h) return undefined;
  return { set: literalValues(h.set), add: literalValues(h.add), remove: h.remove };
}

function destinationsOf(rule: RouteRule, site: RuleSite) {
  const dests = rule.destinations ?? [{}];
  return dests.map((d) => ({
    destination: { host: hostOf(site.namespace, d.service ?? site.service), subset: d.version },
    // Istio weights are relative (weight/Σ); a lone destination gets everything whatever its weight.
    weight: dests.length > 1 ? (d.weight ?? 1) : undefined,
  }));
}

/** Timeout and retries of a forwarding rule: the rule's own, else the service's TrafficPolicy, else none. */
export function resilienceOf(ctx: IstioContext, rule: RouteRule | undefined, site: RuleSite) {
  const policy = site.policy?.object.spec;
  const own = rule?.retries !== undefined;
  const retries = istioRetries(
    rule?.retries ?? policy?.retries,
    ctx.gaps,
    own ? site.loaded : site.policy,
    own ? [...site.path, 'retries'] : ['spec', 'retries'],
  );
  return { timeout: rule?.timeout ?? policy?.requestTimeout, retries };
}

/**
 * Istio writes no port for the scheme's well-known port, and Envoy then keeps the request's Host,
 * port included, unless the host is replaced too: `web:8080` redirected to https stays on 8080.
 */
function reportRedirectPort(ctx: IstioContext, r: Redirect, site: RuleSite): void {
  const wellKnown = r.scheme === 'https' ? 443 : 80;
  const toWellKnown = r.port === undefined ? r.scheme !== undefined : r.port === wellKnown;
  if (!toWellKnown || r.host !== undefined) return;
  ctx.gaps.approximated(
    site.loaded,
    [...site.path, 'redirect', r.port === undefined ? 'scheme' : 'port'],
    'redirect',
    `Istio writes no port for ${r.scheme ?? 'http'}'s well-known port ${wellKnown}, and Envoy then keeps the request's own port (web:8080 stays on 8080) unless the host is replaced; set redirect.host to get port ${wellKnown}`,
  );
}

/** Everything of an `http[]` entry except match and path rewrite/redirect. */
export function httpAction(ctx: IstioContext, rule: RouteRule, site: RuleSite): Record<string, unknown> {
  if (rule.redirect) {
    reportRedirectPort(ctx, rule.redirect, site);
    return { headers: responseOnly(rule) };
  }
  const { timeout, retries } = resilienceOf(ctx, rule, site);
  const fault = rule.fault
    ? {
        delay: rule.fault.delay && { fixedDelay: rule.fault.delay.fixed, percentage: { value: rule.fault.delay.percent } },
        abort: rule.fault.abort && { httpStatus: rule.fault.abort.httpStatus, percentage: { value: rule.fault.abort.percent } },
      }
    : undefined;
  if (fault && (timeout !== undefined || retries.attempts > 0)) {
    ctx.gaps.approximated(
      site.loaded,
      [...site.path, 'fault'],
      rule.fault?.delay ? 'fault.delay' : 'fault.abort',
      'Istio does not enable timeouts or retries on a route with fault injection; this rule keeps its fault but loses its timeout/retries',
    );
  }
  const m = rule.mirror;
  return {
    route: destinationsOf(rule, site),
    headers:
      rule.requestHeaders || rule.responseHeaders
        ? { request: headerOps(rule.requestHeaders), response: headerOps(rule.responseHeaders) }
        : undefined,
    mirror: m && { host: hostOf(site.namespace, m.service ?? site.service), subset: m.version },
    // Istio mirrors 100% when the percentage is absent; the neutral percent is required, so it is always written.
    mirrorPercentage: m && { value: m.percent },
    fault,
    timeout,
    retries,
  };
}

function responseOnly(rule: RouteRule) {
  return rule.responseHeaders ? { response: headerOps(rule.responseHeaders) } : undefined;
}
