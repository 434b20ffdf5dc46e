import { mustCompileRegex, type RequestView } from '@anymesh/core';
import type { GatewayMatch } from './http-match.js';

/**
 * How Linkerd's proxy ranks a match (linkerd2-proxy `http-route` crate): the path match's length
 * first — Exact: the path's length; RegularExpression: the whole request path's length; PathPrefix:
 * the prefix's length, `/` = 1 — then has-method, then #headers, then #query params. Greater wins;
 * ties keep the first (rule order within a route, route creation order across routes).
 */
export type LinkerdSummary = readonly [pathLength: number, method: number, headers: number, query: number];

/** A header (`h:<name>`) or query (`q:<name>`) condition and how it tests the value. */
export interface Condition {
  readonly key: string;
  readonly type: 'Exact' | 'RegularExpression';
  readonly value: string;
  readonly test: (v: string | undefined) => boolean;
}

export interface CompiledLinkerdMatch {
  readonly pathKind: 'Exact' | 'PathPrefix' | 'RegularExpression';
  readonly pathValue: string;
  readonly method: string | undefined;
  readonly headerCount: number;
  readonly queryCount: number;
  /** The header and query conditions, names as Linkerd compares them (headers lower-cased). */
  readonly conditions: readonly Condition[];
  /** The summary when the request matches, else undefined. */
  summarize(req: RequestView): LinkerdSummary | undefined;
  /** Whether the path condition alone matches. */
  pathMatches(path: string): boolean;
}

/** Header values the proxy can read as text (http's `HeaderValue::to_str`): tab and visible ASCII. */
const VISIBLE_ASCII = /^[\t\x20-\x7e]*$/;

function valueTest(m: { type: string; value: string }): (v: string | undefined) => boolean {
  if (m.type === 'Exact') return (v) => v === m.value;
  const re = mustCompileRegex(m.value);
  return (v) => v !== undefined && re.matchesWhole(v);
}

/** A header condition: a RegularExpression never matches a value that is not visible ASCII. */
function headerTest(m: { type: string; value: string }): (v: string | undefined) => boolean {
  const test = valueTest(m);
  if (m.type === 'Exact') return test;
  return (v) => v !== undefined && VISIBLE_ASCII.test(v) && test(v);
}

/** Linkerd's segment-wise prefix: trailing slashes of the request path are ignored, as in the proxy. */
function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '/') return true;
  const p = prefix.replace(/\/+$/, '');
  const trimmed = path.replace(/\/+$/, '');
  if (!trimmed.startsWith(p)) return false;
  const rest = trimmed.slice(p.length);
  return rest === '' || rest.startsWith('/');
}

/**
 * Compiled matches by match object: a route's matches are compiled for the tie checks, the repair and
 * the precedence report, several times each. Matches are not changed once built (narrowed copies are new objects).
 */
const compiledMatches = new WeakMap<GatewayMatch, CompiledLinkerdMatch>();

export function compileLinkerdMatch(m: GatewayMatch): CompiledLinkerdMatch {
  let compiled = compiledMatches.get(m);
  if (!compiled) compiledMatches.set(m, (compiled = compileMatch(m)));
  return compiled;
}

function compileMatch(m: GatewayMatch): CompiledLinkerdMatch {
  const path = m.path ?? { type: 'PathPrefix' as const, value: '/' };
  const pathTest = path.type === 'RegularExpression' ? valueTest(path) : undefined;
  const pathLength = (p: string): number | undefined => {
    if (path.type === 'Exact') return p === path.value ? p.length : undefined;
    if (path.type === 'PathPrefix')
      return prefixMatches(path.value, p) ? (path.value === '/' ? 1 : path.value.replace(/\/+$/, '').length) : undefined;
    return pathTest?.(p) ? p.length : undefined;
  };
  const headers = (m.headers ?? []).map((h) => [h.name.toLowerCase(), headerTest(h)] as const);
  const query = (m.queryParams ?? []).map((q) => [q.name, valueTest(q)] as const);
  return {
    pathKind: path.type,
    pathValue: path.value,
    method: m.method,
    headerCount: headers.length,
    queryCount: query.length,
    conditions: [
      ...(m.headers ?? []).map((h, i) => ({ key: `h:${h.name.toLowerCase()}`, type: h.type, value: h.value, test: headers[i]![1] })),
      ...(m.queryParams ?? []).map((q, i) => ({ key: `q:${q.name}`, type: q.type, value: q.value, test: query[i]![1] })),
    ],
    pathMatches: (p) => pathLength(p) !== undefined,
    summarize(req) {
      if (m.method !== undefined && req.method !== m.method) return undefined;
      const length = pathLength(req.path);
      if (length === undefined) return undefined;
      if (!headers.every(([name, test]) => test(req.headers[name]))) return undefined;
      if (!query.every(([name, test]) => test(req.query[name]))) return undefined;
      return [length, m.method ? 1 : 0, headers.length, query.length];
    },
  };
}

/** Positive when `a` ranks above `b` in Linkerd. */
export function compareSummaries(a: LinkerdSummary, b: LinkerdSummary): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
