import { normalizePrefix, type FieldPath, type HeaderMatch, type LoadedObject, type QueryMatch, type RouteMatch } from '@anymesh/core';
import type { LinkerdContext } from './context.js';
import { anchored, escapeRegex } from './names.js';

/** A Gateway API HTTPRouteMatch as written to the manifest. */
export interface GatewayMatch {
  path?: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  headers?: { type: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  queryParams?: { type: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  method?: string;
}

function gatewayPath(ctx: LinkerdContext, loaded: LoadedObject, m: RouteMatch, at: FieldPath): GatewayMatch['path'] {
  const p = m.path;
  if (p === undefined) return undefined;
  if ('regex' in p) return { type: 'RegularExpression', value: anchored(p.regex) };
  if (!p.ignoreCase) {
    return 'exact' in p ? { type: 'Exact', value: p.exact } : { type: 'PathPrefix', value: normalizePrefix(p.prefix) };
  }
  const ignoreCaseAt = [...at, 'path', 'ignoreCase'];
  if ('exact' in p) {
    ctx.gaps.approximated(
      loaded,
      ignoreCaseAt,
      'route.pathIgnoreCase',
      'Gateway API has no case-insensitive path match; written as a (?i) RegularExpression, which Linkerd ranks like an exact match of the same path',
    );
    return { type: 'RegularExpression', value: `(?i)${anchored(escapeRegex(p.exact))}` };
  }
  const prefix = normalizePrefix(p.prefix);
  ctx.gaps.approximated(
    loaded,
    ignoreCaseAt,
    'route.pathIgnoreCase',
    `Gateway API has no case-insensitive prefix; written as a (?i) RegularExpression, which Linkerd ranks by the whole request path's length instead of the prefix's (${prefix.length}), so it can win over longer prefixes`,
  );
  const value = prefix === '/' ? '.*' : `${escapeRegex(prefix)}(?:/.*)?`;
  return { type: 'RegularExpression', value: `(?i)${anchored(value)}` };
}

type ValueMatch = { type: 'Exact' | 'RegularExpression'; value: string };

function headerValue(ctx: LinkerdContext, loaded: LoadedObject, name: string, h: HeaderMatch, at: FieldPath): ValueMatch | 'absent' {
  if ('exact' in h) return { type: 'Exact', value: h.exact };
  if ('regex' in h) {
    ctx.gaps.approximated(
      loaded,
      at,
      'route.headerRegex',
      `Linkerd's proxy tests a RegularExpression only against visible-ASCII header values: a ${name} value with other characters (é, a control byte) never matches`,
    );
    return { type: 'RegularExpression', value: anchored(h.regex) };
  }
  if ('prefix' in h) {
    ctx.gaps.approximated(
      loaded,
      at,
      'route.headerPrefix',
      `Gateway API has no header prefix match; written as RegularExpression ${anchored(`${escapeRegex(h.prefix)}.*`)} (same requests for visible-ASCII values; Linkerd never matches a regex against other values)`,
    );
    return { type: 'RegularExpression', value: anchored(`${escapeRegex(h.prefix)}.*`) };
  }
  if ('present' in h) {
    ctx.gaps.approximated(
      loaded,
      at,
      'route.headerPresent',
      `Gateway API has no presence match; written as RegularExpression ^(?:.*)$ on ${name}, which Linkerd only tests against visible-ASCII header values`,
    );
    return { type: 'RegularExpression', value: anchored('.*') };
  }
  return 'absent';
}

function queryValue(q: QueryMatch): ValueMatch {
  if ('exact' in q) return { type: 'Exact', value: q.exact };
  if ('regex' in q) return { type: 'RegularExpression', value: anchored(q.regex) };
  // Presence is exactly "some value, possibly empty": `?flag` parses as flag="".
  return { type: 'RegularExpression', value: anchored('.*') };
}

/**
 * One neutral match block as a Gateway API match, or undefined when it holds a condition Gateway
 * API cannot say (header absent). Such a block is left out whole, so the requests it would have
 * caught fall through to less specific rules: dropping only the condition would widen the rule
 * and send, say, legacy clients to a canary.
 */
export function gatewayMatch(
  ctx: LinkerdContext,
  loaded: LoadedObject,
  m: RouteMatch | undefined,
  at: FieldPath,
): GatewayMatch | undefined {
  if (m === undefined) return {};
  const headers: NonNullable<GatewayMatch['headers']> = [];
  for (const [name, h] of Object.entries(m.headers ?? {})) {
    const v = headerValue(ctx, loaded, name, h, [...at, 'headers', name]);
    if (v === 'absent') {
      ctx.gaps.unsupported(
        loaded,
        [...at, 'headers', name],
        'route.headerAbsent',
        `Gateway API has no negative header match; this match block is left out, so requests it would have matched fall through to the next rule`,
      );
      return undefined;
    }
    headers.push({ name: name.toLowerCase(), ...v });
  }
  const queryParams = Object.entries(m.queryParams ?? {}).map(([name, q]) => ({ name, ...queryValue(q) }));
  return {
    path: gatewayPath(ctx, loaded, m, at),
    headers: headers.length > 0 ? headers : undefined,
    queryParams: queryParams.length > 0 ? queryParams : undefined,
    method: m.method,
  };
}
