import type { HeaderMatch, QueryMatch, RouteMatch } from '../model/generated.js';
import { compilePathMatch, type CompiledPathMatch } from './path-match.js';
import { mustCompileRegex } from './regex.js';
import type { RequestView } from './request.js';

type ValueTest = (value: string | undefined) => boolean;

/** A match block compiled for fast testing, with its precedence key. */
export interface CompiledMatch {
  readonly path: CompiledPathMatch;
  readonly test: (req: RequestView) => boolean;
  /** Gateway API specificity: [path class, path length, has method, #headers, #query]. Higher wins. */
  readonly specificity: readonly number[];
}

export function compileHeaderMatch(m: HeaderMatch): ValueTest {
  if ('exact' in m) return (v) => v === m.exact;
  if ('prefix' in m) return (v) => v !== undefined && v.startsWith(m.prefix);
  if ('regex' in m) {
    const re = mustCompileRegex(m.regex);
    return (v) => v !== undefined && re.matchesWhole(v);
  }
  if ('present' in m) return (v) => v !== undefined;
  return (v) => v === undefined;
}

export function compileQueryMatch(m: QueryMatch): ValueTest {
  if ('exact' in m) return (v) => v === m.exact;
  if ('regex' in m) {
    const re = mustCompileRegex(m.regex);
    return (v) => v !== undefined && re.matchesWhole(v);
  }
  return (v) => v !== undefined;
}

export function compileRouteMatch(match: RouteMatch | undefined): CompiledMatch {
  const path = compilePathMatch(match?.path);
  const headers = Object.entries(match?.headers ?? {}).map(([name, m]) => [name.toLowerCase(), compileHeaderMatch(m)] as const);
  const query = Object.entries(match?.queryParams ?? {}).map(([name, m]) => [name, compileQueryMatch(m)] as const);
  const method = match?.method;
  return {
    path,
    specificity: [...path.specificity, method ? 1 : 0, headers.length, query.length],
    test: (req) =>
      (method === undefined || req.method === method) &&
      path.test(req.path) &&
      headers.every(([name, test]) => test(req.headers[name])) &&
      query.every(([name, test]) => test(req.query[name])),
  };
}

/** Negative when `a` is more specific than `b` (sorts the winner first). */
export function compareSpecificity(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (b[i] ?? 0) - (a[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
