import type { Manifest } from '../types.js';
import { consulManifest, type ConsulContext } from './context.js';
import { accessLogs, proxyConfig } from './observability.js';

/** Consul reads the global proxy defaults from the entry named `global`, and mesh settings from `mesh`. */
export const PROXY_DEFAULTS_NAME = 'global';
export const MESH_NAME = 'mesh';

function reportMtlsGaps(ctx: ConsulContext): void {
  const mesh = ctx.set.mesh;
  if (mesh === undefined) return;
  const at = ['spec', 'mtls', 'mode'];
  if (ctx.mesh.mtlsMode === 'disabled') {
    ctx.gaps.unsupported(
      mesh,
      at,
      'mtls.disabled',
      'Consul service mesh always uses mTLS between sidecars; mutualTLSMode stays strict (fail closed)',
    );
  }
  if (ctx.mesh.mtlsMode === 'permissive') {
    ctx.gaps.approximated(
      mesh,
      at,
      'mtls.permissive',
      'Consul accepts plaintext only with transparent proxy and Mesh.allowEnablingPermissiveMutualTLS, and does not enforce intentions on plaintext connections: a plaintext caller bypasses every deny and defaultAccess: deny',
    );
  }
}

/** ProxyDefaults `global` (mode, mTLS, access logs, metrics, tracing) and, for permissive mTLS, Mesh `mesh`. */
export function meshWide(ctx: ConsulContext): Manifest[] {
  reportMtlsGaps(ctx);
  const mesh = ctx.set.mesh;
  const sources = mesh ? [mesh.object] : [];
  const permissive = ctx.mesh.mtlsMode === 'permissive';
  const spec = {
    // Transparent proxy: callers reach services by name, and permissive mTLS requires it.
    mode: 'transparent',
    mutualTLSMode: permissive ? 'permissive' : 'strict',
    accessLogs: accessLogs(ctx),
    config: proxyConfig(ctx, mesh),
  };
  const manifests = [consulManifest('ProxyDefaults', PROXY_DEFAULTS_NAME, ctx.meshNamespace, sources, spec)];
  if (permissive) {
    manifests.push(consulManifest('Mesh', MESH_NAME, ctx.meshNamespace, sources, { allowEnablingPermissiveMutualTLS: true }));
  }
  return manifests;
}
