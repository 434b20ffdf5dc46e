export {
  startControlPlane,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_WATCH_TIMEOUT_MS,
  type ControlPlane,
  type ControlPlaneOptions,
} from './control-plane.js';
export { ControlPlaneError, type ControlPlaneErrorCode } from './errors.js';
export type { ControlPlaneEvent } from './events.js';
export { controlPlaneSpiffeId, readAdminToken, ADMIN_TOKEN_FILE, TRUST_BUNDLE_FILE } from './security/credentials.js';
