// Public API of @anymesh/native-mesh (work in progress).
export type * from './protocol/types.js';
export type * from './protocol/rollouts.js';
export type * from './protocol/sidecar.js';
export * from './control-plane/index.js';
export * from './client/index.js';
export * from './runner/index.js';
export * from './proxy/index.js';
export { NATIVE_CAPABILITIES } from './capabilities.js';
export * from './observability/index.js';
export { createKeyAndCsr, spiffeIdOfCertificate } from './identity/index.js';
export * from './rollout/metrics/index.js';
export {
  isLoopback,
  MAX_SYNTHETIC_RATE,
  SyntheticLoadGenerator,
  syntheticLoadCredentials,
  type SyntheticLoadCredentials,
  type SyntheticLoadOptions,
  type SyntheticLoadRun,
} from './rollout/synthetic-load.js';
