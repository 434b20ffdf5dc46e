import type { LoadedObject, RouteRule, TrafficRoute } from '@anymesh/core';
import type { ConsulContext } from './context.js';

/**
 * Reports what a rule asks for that a Consul ServiceRouter cannot express. Returns true when the
 * rule cannot be emitted at all (a redirect: forwarding instead would change what callers see).
 */
export function reportRuleGaps(ctx: ConsulContext, route: LoadedObject<TrafficRoute>, rule: RouteRule, i: number): boolean {
  const at = (...field: string[]) => ['spec', 'rules', i, ...field];
  if (rule.mirror) ctx.gaps.unsupported(route, at('mirror'), 'mirror', 'service-router has no mirroring; the rule is emitted without it');
  if (rule.fault?.delay) {
    ctx.gaps.unsupported(
      route,
      at('fault', 'delay'),
      'fault.delay',
      'Consul config entries have no fault injection; the rule is emitted without it',
    );
  }
  if (rule.fault?.abort) {
    ctx.gaps.unsupported(
      route,
      at('fault', 'abort'),
      'fault.abort',
      'Consul config entries have no fault injection; the rule is emitted without it',
    );
  }
  if (rule.rewrite?.host) {
    ctx.gaps.unsupported(route, at('rewrite', 'host'), 'rewrite.host', 'service-router has no host rewrite; requests keep their Host');
  }
  if (rule.rewrite?.fullPath !== undefined && (rule.matches ?? []).some((m) => m.path === undefined || !('exact' in m.path))) {
    ctx.gaps.unsupported(
      route,
      at('rewrite', 'fullPath'),
      'rewrite.path',
      'Consul rewrites only with prefixRewrite, which replaces the whole path on exact-path matches only; other matches forward the path unchanged',
    );
  }
  if (rule.redirect) {
    ctx.gaps.unsupported(
      route,
      at('redirect'),
      'redirect',
      'service-router cannot answer with a redirect; the rule is left out, so its requests take the next matching rule',
    );
    return true;
  }
  return false;
}
