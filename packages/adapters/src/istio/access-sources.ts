import { resolveSource, type AccessRule, type LoadedObject, type AccessPolicy } from '@anymesh/core';
import type { IstioContext } from './context.js';

/** Istio principals are SPIFFE IDs without the `spiffe://` scheme. */
function principal(spiffe: string): string {
  return spiffe.replace(/^spiffe:\/\//, '');
}

/**
 * Neutral sources → Istio `from[]` (OR of sources; fields inside one source AND). A version is an
 * identity only when it runs under its own service account; when versions share one, Istio cannot
 * tell them apart: a deny is widened to all of them (fails closed, reported), an allow source is
 * dropped (fails closed, reported as unsupported).
 */
export function istioSources(
  ctx: IstioContext,
  loaded: LoadedObject<AccessPolicy>,
  rule: AccessRule,
  ruleIndex: number,
  namespace: string,
) {
  if (rule.from === undefined) return { from: undefined, empty: false };
  const from: { source: Record<string, unknown> }[] = [];
  rule.from.forEach((src, j) => {
    const path = ['spec', 'rules', ruleIndex, 'from', j];
    const resolved = resolveSource(src, ctx.set, namespace, ctx.mesh.trustDomain);
    if (resolved.exact !== undefined) {
      if (src.version !== undefined) {
        if (resolved.sharedWith.length > 0 && rule.action === 'allow') {
          ctx.gaps.unsupported(
            loaded,
            [...path, 'version'],
            'access.sourceVersion',
            `version ${src.version} of ${src.service} shares service account ${resolved.serviceAccount} with ${resolved.sharedWith.join(', ')}; ` +
              'Istio authorizes by identity only, so this source is left out (nobody is allowed by it); give the version its own serviceAccount',
          );
          return;
        }
        if (resolved.sharedWith.length > 0) {
          ctx.gaps.approximated(
            loaded,
            [...path, 'version'],
            'access.sourceVersion',
            `version ${src.version} of ${src.service} shares service account ${resolved.serviceAccount} with ${resolved.sharedWith.join(', ')}; ` +
              'the deny applies to all of them (Istio authorizes by identity only)',
          );
        } else {
          ctx.gaps.assumption(
            loaded,
            [...path, 'version'],
            'access.sourceVersion',
            `the workloads of ${src.service} version ${src.version}, and only they, run under service account ${resolved.serviceAccount}`,
          );
        }
      }
      from.push({ source: { principals: [principal(resolved.exact)] } });
    } else if (resolved.namespace !== undefined) {
      // Istio derives the caller namespace from its verified certificate, like the neutral identity prefix.
      from.push({ source: { namespaces: [resolved.namespace] } });
    }
  });
  return { from, empty: from.length === 0 };
}
