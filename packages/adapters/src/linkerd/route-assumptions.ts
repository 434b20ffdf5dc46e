import type { FeatureName, HeaderMatch, LoadedObject, TrafficRoute } from '@anymesh/core';
import type { LinkerdContext } from './context.js';

function headerFeature(h: HeaderMatch): FeatureName {
  return 'exact' in h
    ? 'route.headerExact'
    : 'prefix' in h
      ? 'route.headerPrefix'
      : 'regex' in h
        ? 'route.headerRegex'
        : 'route.headerPresent';
}

/**
 * Linkerd matches a header condition against each value of a repeated header and a query condition
 * against each occurrence of a parameter; the neutral model reads the joined header value and the
 * first parameter value. Equal unless clients repeat a header or parameter a rule tests: said once
 * per route, as an assumption.
 */
export function reportHeaderAssumption(ctx: LinkerdContext, route: LoadedObject<TrafficRoute>): void {
  route.object.spec.rules.some((rule, i) =>
    (rule.matches ?? []).some((m, j) => {
      const header = Object.keys(m.headers ?? {})[0];
      const query = Object.keys(m.queryParams ?? {})[0];
      if (header === undefined && query === undefined) return false;
      const at = ['spec', 'rules', i, 'matches', j, ...(header !== undefined ? ['headers', header] : ['queryParams'])];
      ctx.gaps.assumption(
        route,
        at,
        header !== undefined ? headerFeature(m.headers![header]!) : 'route.queryParam',
        'clients do not repeat a header or query parameter a rule tests (Linkerd matches any one of the values; anymesh the joined header value and the first parameter value)',
      );
      return true;
    }),
  );
}
