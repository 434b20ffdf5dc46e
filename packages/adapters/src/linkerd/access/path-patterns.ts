import type { HttpMethod } from '@anymesh/core';
import { anchored, escapeRegex } from '../names.js';

/** An access-rule path: exact, a character prefix (`/reviews/*`), or any path (`*`). */
export type PathPattern = { kind: 'exact'; value: string } | { kind: 'prefix'; value: string } | { kind: 'any' };

export function parsePattern(pattern: string): PathPattern {
  if (pattern === '*') return { kind: 'any' };
  if (pattern.endsWith('*')) return { kind: 'prefix', value: pattern.slice(0, -1) };
  return { kind: 'exact', value: pattern };
}

export function patternKey(p: PathPattern): string {
  return p.kind === 'any' ? '*' : `${p.kind}:${p.value}`;
}

/**
 * Whether every path `inner` matches is matched by `outer`. Access patterns are exact paths and
 * character prefixes, so any two are nested or disjoint: the most specific pattern that matches a
 * path is contained in every other pattern that does.
 */
export function contains(outer: PathPattern, inner: PathPattern): boolean {
  if (outer.kind === 'any') return true;
  if (inner.kind === 'any') return false;
  if (outer.kind === 'exact') return inner.kind === 'exact' && inner.value === outer.value;
  return inner.value.startsWith(outer.value);
}

/** Whether both patterns can match one path. */
export function overlap(a: PathPattern, b: PathPattern): boolean {
  return contains(a, b) || contains(b, a);
}

/** More specific first: exact, then longer prefixes, then any. */
export function comparePatterns(a: PathPattern, b: PathPattern): number {
  const rank = (p: PathPattern) => (p.kind === 'exact' ? 3 : p.kind === 'prefix' ? 2 : 1);
  const len = (p: PathPattern) => (p.kind === 'any' ? 0 : p.value.length);
  return rank(b) - rank(a) || len(b) - len(a) || patternKey(a).localeCompare(patternKey(b));
}

/**
 * The inbound route match of a pattern. A character prefix becomes a regex, not a PathPrefix:
 * `/reviews/*` must not match `/reviews`, and PathPrefix `/reviews/` would (it is segment-wise).
 */
export function inboundMatch(p: PathPattern, method: HttpMethod | undefined): Record<string, unknown> {
  const path =
    p.kind === 'any'
      ? { type: 'PathPrefix', value: '/' }
      : p.kind === 'exact'
        ? { type: 'Exact', value: p.value }
        : { type: 'RegularExpression', value: anchored(`${escapeRegex(p.value)}.*`) };
  return { path, method };
}
