import { DEFAULTS, type Redirect } from '@anymesh/core';
import { replacePrefix } from './rewrite.js';

const WELL_KNOWN_PORT = { http: 80, https: 443 } as const;

/**
 * The Location of a redirect (Gateway API RequestRedirect): scheme, host, port and path default to
 * the request's; when the scheme is set and the port is not, the scheme's well-known port is used
 * and omitted from the URL. The query string is kept.
 */
export function redirectLocation(
  redirect: Redirect,
  request: { authority: string; port: number | undefined; path: string; query: string },
  matchedPrefix: string | undefined,
): string {
  const scheme = redirect.scheme ?? 'http';
  const host = redirect.host ?? request.authority;
  const port = redirect.port ?? (redirect.scheme === undefined ? request.port : undefined);
  const path =
    redirect.path ??
    (redirect.pathPrefix !== undefined && matchedPrefix !== undefined
      ? replacePrefix(request.path, matchedPrefix, redirect.pathPrefix)
      : request.path);
  const portPart = port === undefined || port === WELL_KNOWN_PORT[scheme] ? '' : `:${port}`;
  return `${scheme}://${host}${portPart}${path}${request.query}`;
}

export function redirectStatus(redirect: Redirect): number {
  return redirect.statusCode ?? DEFAULTS.redirectStatusCode;
}
