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
