import { expect } from 'vitest';
import type { Adapter, Manifest, MeshName, Translation } from '../../src/index.js';

/** What a mesh-wide mTLS mode means to a caller of `web`: whether a plaintext (unmeshed) request is served. */
export interface MtlsExpectation {
  readonly plaintextServed: boolean;
}

/**
 * Each mesh's reading of its own output, following its documented semantics: Istio's mesh-wide
 * PeerAuthentication (STRICT refuses plaintext; PERMISSIVE and DISABLE serve it), Linkerd's Servers
 * for `web` (`all-unauthenticated` serves plaintext, `all-authenticated` and `deny` do not; no Server:
 * the install default, all-unauthenticated), Consul's ProxyDefaults `mutualTLSMode` (`permissive`
 * serves plaintext; strict, its default, does not).
 */
const PLAINTEXT_SERVED: Record<MeshName, (manifests: readonly Manifest[]) => boolean> = {
  istio: (manifests) => {
    const pa = manifests.find((m) => m.kind === 'PeerAuthentication' && (m.spec as { selector?: unknown }).selector === undefined);
    const mode = (pa?.spec as { mtls?: { mode?: string } } | undefined)?.mtls?.mode ?? 'PERMISSIVE';
    return mode !== 'STRICT';
  },
  linkerd: (manifests) => {
    const servers = manifests.filter(
      (m) =>
        m.kind === 'Server' &&
        m.metadata.namespace === 'shop' &&
        (m.spec as { podSelector?: { matchLabels?: Record<string, string> } }).podSelector?.matchLabels?.app === 'web',
    );
    return servers.every((s) => (s.spec as { accessPolicy?: string }).accessPolicy === 'all-unauthenticated');
  },
  consul: (manifests) => {
    const pd = manifests.find((m) => m.kind === 'ProxyDefaults');
    return (pd?.spec as { mutualTLSMode?: string } | undefined)?.mutualTLSMode === 'permissive';
  },
};

/** Asserts, through the adapter's reading of its output, whether plaintext callers of `web` are served. */
export function expectMtls(translation: Translation, adapter: Adapter, want: MtlsExpectation): void {
  expect(PLAINTEXT_SERVED[adapter.name](translation.manifests), `${adapter.name} serves plaintext callers of web`).toBe(
    want.plaintextServed,
  );
}
