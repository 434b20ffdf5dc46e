import { DEFAULTS, type LoadedObject, type Mesh } from '@anymesh/core';
import { managedMetadata } from '../shared/metadata.js';
import type { Manifest } from '../types.js';
import type { IstioContext } from './context.js';
import { ISTIO_ROOT_NAMESPACE, SECURITY_V1, TELEMETRY_V1 } from './names.js';

const MTLS_MODE = { strict: 'STRICT', permissive: 'PERMISSIVE', disabled: 'DISABLE' } as const;

/** Mesh-wide PeerAuthentication: in the root namespace, without a selector. Written even for the default, which differs (Istio: PERMISSIVE). */
function peerAuthentication(ctx: IstioContext, mesh: LoadedObject<Mesh> | undefined): Manifest {
  return {
    apiVersion: SECURITY_V1,
    kind: 'PeerAuthentication',
    metadata: managedMetadata('default', ISTIO_ROOT_NAMESPACE, mesh ? [mesh.object] : []),
    spec: { mtls: { mode: MTLS_MODE[ctx.mesh.mtlsMode] } },
  };
}

/** Mesh-wide Telemetry: sampling always explicit (Istio's Telemetry field defaults to 0%, its mesh config to 1%). */
function telemetry(ctx: IstioContext, mesh: LoadedObject<Mesh> | undefined): Manifest {
  const m = ctx.mesh;
  const obs = ['spec', 'observability'];
  if (mesh && m.tracingEndpoint !== undefined) {
    ctx.gaps.approximated(
      mesh,
      [...obs, 'tracing', 'endpoint'],
      'observability.tracing',
      `Istio sends spans to the tracing provider of meshConfig (extensionProviders/defaultProviders); configure an OpenTelemetry provider for ${m.tracingEndpoint} there`,
    );
  }
  if (mesh && m.accessLogs && m.accessLogFormat === 'json') {
    ctx.gaps.assumption(
      mesh,
      [...obs, 'accessLogs', 'format'],
      'observability.accessLogs',
      'meshConfig.accessLogEncoding is JSON (the built-in envoy provider logs text otherwise)',
    );
  }
  return {
    apiVersion: TELEMETRY_V1,
    kind: 'Telemetry',
    metadata: managedMetadata('mesh-default', ISTIO_ROOT_NAMESPACE, mesh ? [mesh.object] : []),
    spec: {
      tracing: [{ randomSamplingPercentage: m.tracingSampling }],
      accessLogging: [m.accessLogs ? { providers: [{ name: 'envoy' }] } : { disabled: true }],
      metrics: m.metricsEnabled
        ? undefined
        : [{ providers: [{ name: 'prometheus' }], overrides: [{ match: { metric: 'ALL_METRICS' }, disabled: true }] }],
    },
  };
}

/**
 * Mesh-wide objects, in istiod's root namespace (an assumption, reported once). Written even without
 * a Mesh object, because the neutral defaults differ from Istio's (mTLS strict vs PERMISSIVE).
 */
export function meshWide(ctx: IstioContext): Manifest[] {
  const mesh = ctx.set.mesh;
  if (!mesh) return ctx.set.services.size > 0 ? [peerAuthentication(ctx, undefined), telemetry(ctx, undefined)] : [];
  ctx.gaps.assumption(
    mesh,
    ['metadata'],
    `mtls.${ctx.mesh.mtlsMode}`,
    `istiod's root namespace is ${ISTIO_ROOT_NAMESPACE} (mesh-wide PeerAuthentication and Telemetry go there)`,
  );
  if (ctx.mesh.workloadCertTTL !== DEFAULTS.workloadCertTTL) {
    ctx.gaps.assumption(
      mesh,
      ['spec', 'mtls', 'workloadCertTTL'],
      `mtls.${ctx.mesh.mtlsMode}`,
      `istiod and the proxies are configured with a ${ctx.mesh.workloadCertTTL} workload certificate lifetime (DEFAULT_WORKLOAD_CERT_TTL / SECRET_TTL): it is an install setting, not a resource`,
    );
  }
  return [peerAuthentication(ctx, mesh), telemetry(ctx, mesh)];
}

/** Rollouts are driven step by step by anymesh's rollout controller (it rewrites VirtualService weights); nothing static to emit. */
export function reportRollouts(ctx: IstioContext): void {
  for (const r of ctx.set.rollouts) {
    const s = r.object.spec.strategy;
    const feature = 'canary' in s ? 'rollout.canary' : 'abTest' in s ? 'rollout.abTest' : 'rollout.blueGreen';
    ctx.gaps.approximated(
      r,
      ['spec', 'strategy'],
      feature,
      "not translated: rollouts are driven by anymesh's rollout controller, which shifts the VirtualService weights step by step; the translation is the starting state",
    );
  }
}
