import { normalizePrefix } from '@anymesh/core';

/**
 * Gateway API ReplacePrefixMatch: the matched segment prefix is replaced and the rest kept,
 * with exactly one `/` at the seam (`/api/v1` → `/v2` maps `/api/v1/x` to `/v2/x`; → `/` maps it
 * to `/x`).
 */
export function replacePrefix(path: string, matchedPrefix: string, replacement: string): string {
  const prefix = normalizePrefix(matchedPrefix);
  // The root prefix matched everything: `/` itself leaves nothing to keep (`/` → `/v1` gives `/v1`).
  const rest = prefix === '/' ? (path === '/' ? '' : path) : path.slice(prefix.length);
  const head = replacement.replace(/\/+$/, '');
  const result = head + rest;
  return result === '' ? '/' : result;
}

/** The path to forward: full-path rewrite, prefix rewrite, or unchanged. Query is kept. */
export function rewritePath(
  path: string,
  fullPath: string | undefined,
  prefix: string | undefined,
  matchedPrefix: string | undefined,
): string {
  if (fullPath !== undefined) return fullPath;
  if (prefix !== undefined && matchedPrefix !== undefined) return replacePrefix(path, matchedPrefix, prefix);
  return path;
}
