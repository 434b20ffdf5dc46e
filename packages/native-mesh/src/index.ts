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
export { RolloutController, type CommandResult, type RolloutControllerOptions } from './rollout/controller.js';
export { RolloutStore, rolloutKey, type RolloutRecord } from './rollout/store.js';
export { RolloutError, type RolloutErrorCode } from './rollout/errors.js';
export { callWebhooks, type WebhookCaller, type WebhookOutcome, type WebhookPayload } from './rollout/webhooks.js';
export { NativeTrafficActuator } from './rollout/native-actuator.js';
export type {
  Clock,
  MetricsProvider as RolloutMetricsProvider,
  MetricsWindow as RolloutMetricsWindow,
  MetricsProviderFactory,
  RolloutTransition,
  RolloutTrouble,
  SyntheticLoadFactory,
  SyntheticLoadHandle,
  TrafficActuator,
} from './rollout/types.js';
