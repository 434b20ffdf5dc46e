import { splitTarget, type RequestView } from '@anymesh/core';
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledRule } from '../config/compiled-rule.js';
import type { CompiledService } from '../config/compile-config.js';
import type { UpstreamGroup } from '../upstream/group.js';

export interface Selection {
  readonly rule: CompiledRule;
  readonly matchedPrefix: string | undefined;
  readonly path: string;
  readonly query: string;
}

const NO_QUERY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The neutral precedence: the first entry of core's sorted table that matches, else the service's
 * fallback (all versions). Node already lower-cases header names and joins repeated values with
 * ", ", as core's RequestView requires. The query is parsed only when some rule reads it.
 */
export function selectRule(service: CompiledService, method: string, target: string, headers: IncomingHttpHeaders): Selection {
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q);
  if (service.table.length === 0) return { rule: service.fallback, matchedPrefix: undefined, path, query };
  const view: RequestView = {
    method,
    path,
    headers: headers as RequestView['headers'],
    query: service.readsQuery && q !== -1 ? splitTarget(target).query : NO_QUERY,
  };
  for (const compiled of service.table) {
    if (compiled.entry.match.test(view)) return { rule: compiled.rule, matchedPrefix: compiled.matchedPrefix, path, query };
  }
  return { rule: service.fallback, matchedPrefix: undefined, path, query };
}

/** A destination by relative weight. */
export function pickGroup(rule: CompiledRule): UpstreamGroup | undefined {
  const n = rule.groups.length;
  if (n <= 1) return rule.groups[0];
  const x = Math.random() * rule.totalWeight;
  for (let i = 0; i < n; i++) if (x < rule.cumulative[i]!) return rule.groups[i];
  return rule.groups[n - 1];
}
