import { namespaceOf, type LoadedObject, type Mesh } from '@anymesh/core';
import type { LinkerdContext } from './context.js';

function serviceNamespaces(ctx: LinkerdContext): string[] {
  return [...new Set([...ctx.set.services.values()].map((s) => namespaceOf(s.object)))].sort();
}

function reportObservability(ctx: LinkerdContext, mesh: LoadedObject<Mesh>): void {
  const obs = mesh.object.spec?.observability;
  if (!ctx.mesh.metricsEnabled) {
    ctx.gaps.unsupported(
      mesh,
      ['spec', 'observability', 'metrics', 'enabled'],
      'observability.metrics',
      'Linkerd proxies always serve their metrics (admin port 4191) and cannot turn them off; nothing is emitted (stop scraping them instead)',
    );
  }
  if (obs?.tracing) {
    ctx.gaps.approximated(
      mesh,
      ['spec', 'observability', 'tracing'],
      'observability.tracing',
      `Linkerd has no sampling rate: proxies follow the caller's sampled flag, so ${ctx.mesh.tracingSampling}% is not enforced; the collector endpoint is an install value (proxy.tracing.collector.endpoint), not a manifest; nothing is emitted`,
    );
  }
  if (ctx.mesh.accessLogs) {
    const format = ctx.mesh.accessLogFormat === 'json' ? 'json' : 'apache';
    ctx.gaps.approximated(
      mesh,
      ['spec', 'observability', 'accessLogs'],
      'observability.accessLogs',
      `Linkerd reads config.linkerd.io/access-log: ${format} from a pod template or its Namespace at injection time; both belong to the user, and emitting a Namespace would overwrite its labels and annotations, so nothing is emitted: annotate namespaces ${serviceNamespaces(ctx).join(', ')} (kubectl annotate namespace <ns> config.linkerd.io/access-log=${format}) and restart the workloads${ctx.mesh.accessLogFormat === 'text' ? '; text is written in Apache common log format' : ''}`,
    );
  }
}

/** Mesh-wide settings: what Servers stand for, what Linkerd refuses, what is install-time only. */
export function reportMesh(ctx: LinkerdContext): void {
  const mesh = ctx.set.mesh;
  if (!mesh) return;
  const mode = ctx.mesh.mtlsMode;
  if (mode === 'disabled') {
    ctx.refusals.unsupported(
      mesh,
      ['spec', 'mtls', 'mode'],
      'mtls.disabled',
      'Linkerd always uses mTLS between meshed pods and cannot turn it off (only per-port opaque/skip settings, which also drop L7 policy); refusing rather than translating to mTLS',
    );
  }
  const scope = `Servers are emitted for the ports of the ${ctx.set.services.size} services of this policy set only; other workloads keep the cluster's default inbound policy (set config.linkerd.io/default-inbound-policy on their namespaces to match)`;
  if (ctx.mesh.defaultAccess === 'deny') {
    ctx.gaps.assumption(mesh, ['spec', 'defaultAccess'], 'access.defaultDeny', scope);
  } else if (mode === 'strict') {
    ctx.gaps.assumption(
      mesh,
      ['spec', 'mtls', 'mode'],
      'mtls.strict',
      scope.replace('Servers are', 'Servers with accessPolicy all-authenticated (plaintext rejected) are'),
    );
  }
  reportObservability(ctx, mesh);
}

/** Rollouts are driven by anymesh's controller, which rewrites the HTTPRoute weights; nothing is translated, and that is said. */
export function reportRollouts(ctx: LinkerdContext): void {
  for (const ro of ctx.set.rollouts) {
    const s = ro.object.spec.strategy;
    const feature = 'canary' in s ? 'rollout.canary' : 'abTest' in s ? 'rollout.abTest' : 'rollout.blueGreen';
    ctx.gaps.approximated(
      ro,
      ['spec', 'strategy'],
      feature,
      "not translated: anymesh's rollout controller drives it by changing the HTTPRoute backend weights (and, for A/B, adding a header rule); no Flagger or SMI objects are emitted",
    );
  }
}
