import { resolveSource, type AccessRule, type ResolvedSource } from '@anymesh/core';
import type { LinkerdContext } from '../context.js';
import type { PlacedRule } from './rules.js';

/** A deny of every caller on whole ports: exactly a Server with `accessPolicy: deny` and no authorizations. */
export function deniesEverything(rule: AccessRule): boolean {
  return rule.action === 'deny' && rule.from === undefined && !rule.to.methods && !rule.to.paths;
}

function intersects<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  return a === undefined || b === undefined || a.some((x) => b.includes(x));
}

function sourcesOverlap(a: ResolvedSource, b: ResolvedSource): boolean {
  if (a.exact !== undefined && b.exact !== undefined) return a.exact === b.exact;
  if (a.exact !== undefined) return b.namespacePrefix !== undefined && a.exact.startsWith(b.namespacePrefix);
  if (b.exact !== undefined) return a.namespacePrefix !== undefined && b.exact.startsWith(a.namespacePrefix);
  return a.namespacePrefix === b.namespacePrefix;
}

/** Whether some request could match both rules (conservative: paths are assumed to overlap). */
export function rulesOverlap(ctx: LinkerdContext, allow: PlacedRule, deny: PlacedRule): boolean {
  const a = allow.rule;
  const d = deny.rule;
  if (!intersects(a.to.ports, d.to.ports) || !intersects(a.to.methods, d.to.methods)) return false;
  if (a.from === undefined || d.from === undefined) return true;
  const td = ctx.mesh.trustDomain;
  const as = a.from.map((s) => resolveSource(s, ctx.set, allow.namespace, td));
  const ds = d.from.map((s) => resolveSource(s, ctx.set, deny.namespace, td));
  return as.some((x) => ds.some((y) => sourcesOverlap(x, y)));
}

/**
 * What becomes of a deny rule in an allow-only mesh: `exact` when a deny-all Server says it, or when
 * the mesh denies by default and no allow rule overlaps it (the deny changes nothing); otherwise
 * it cannot be written.
 */
export function denyExpressible(ctx: LinkerdContext, deny: PlacedRule, allows: readonly PlacedRule[]): boolean {
  if (deniesEverything(deny.rule)) return true;
  if (ctx.mesh.defaultAccess !== 'deny') return false;
  return !allows.some((a) => rulesOverlap(ctx, a, deny));
}
