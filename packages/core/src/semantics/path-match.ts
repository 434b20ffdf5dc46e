import type { PathMatch } from '../model/generated.js';
import { mustCompileRegex } from './regex.js';

/** A path condition ready to test requests; `specificity` orders conditions (higher wins). */
export interface CompiledPathMatch {
  readonly kind: 'exact' | 'prefix' | 'regex';
  readonly test: (path: string) => boolean;
  /** [class, length]: exact=3, regex=2, prefix=1; length = prefix length (segment-normalized). */
  readonly specificity: readonly [number, number];
}

/** Removes trailing slashes from a prefix: `/foo/` and `/foo` are the same segment prefix; `/` stays `/`. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Segment-wise prefix test: `/foo` matches `/foo`, `/foo/` and `/foo/x`, not `/foobar`. */
export function segmentPrefixMatches(prefix: string, path: string): boolean {
  const p = normalizePrefix(prefix);
  if (p === '/') return true;
  return path === p || path.startsWith(`${p}/`);
}

export const CATCH_ALL_PATH: CompiledPathMatch = { kind: 'prefix', test: () => true, specificity: [1, 1] };

export function compilePathMatch(match: PathMatch | undefined): CompiledPathMatch {
  if (match === undefined) return CATCH_ALL_PATH;
  if ('exact' in match) {
    const want = match.ignoreCase ? match.exact.toLowerCase() : match.exact;
    return {
      kind: 'exact',
      test: match.ignoreCase ? (p) => p.toLowerCase() === want : (p) => p === want,
      specificity: [3, match.exact.length],
    };
  }
  if ('prefix' in match) {
    const prefix = normalizePrefix(match.ignoreCase ? match.prefix.toLowerCase() : match.prefix);
    return {
      kind: 'prefix',
      test: match.ignoreCase ? (p) => segmentPrefixMatches(prefix, p.toLowerCase()) : (p) => segmentPrefixMatches(prefix, p),
      specificity: [1, prefix.length],
    };
  }
  const re = mustCompileRegex(match.regex);
  return { kind: 'regex', test: (p) => re.matchesWhole(p), specificity: [2, 0] };
}
