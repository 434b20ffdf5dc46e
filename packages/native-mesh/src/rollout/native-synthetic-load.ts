import { namespaceOf, type Rollout } from '@anymesh/core';
import type { CertificateAuthority } from '../identity/index.js';
import type { MeshState } from '../control-plane/mesh-state.js';
import { SyntheticLoadGenerator, syntheticLoadCredentials, type SyntheticLoadRun } from './synthetic-load.js';
import type { SyntheticLoadFactory } from './types.js';

/**
 * Synthetic load on the native mesh: requests to the rollout's new version's sidecars (loopback
 * only), over mTLS with a certificate of the control plane's CA unless the mesh runs without mTLS.
 * `ca` is read when the load starts (the control plane sets up its CA after the controller).
 */
export function nativeSyntheticLoad(
  state: MeshState,
  ca: () => CertificateAuthority | undefined,
  onError: (rollout: Rollout, message: string) => void,
): SyntheticLoadFactory {
  return (rollout) => {
    const spec = rollout.spec.analysis?.syntheticLoad;
    const namespace = namespaceOf(rollout);
    let run: SyntheticLoadRun | undefined;
    let stopped = false;
    const starting = (async () => {
      if (!spec) return;
      const authority = ca();
      const credentials =
        state.mesh.mtlsMode === 'disabled' || authority === undefined ? undefined : await syntheticLoadCredentials(authority, namespace);
      if (stopped) return;
      const generator = new SyntheticLoadGenerator(() => state.instances(), { credentials: () => credentials });
      run = generator.start({ namespace, service: rollout.spec.service, version: rollout.spec.to }, spec);
    })().catch((error: unknown) => onError(rollout, `synthetic load: ${(error as Error).message}`));
    return {
      stop: async () => {
        stopped = true;
        await starting;
        await run?.stop();
      },
    };
  };
}
