export { ControlPlaneClient, type ControlPlaneClientOptions, type ClientEvent } from './control-plane-client.js';
export { ControlPlaneIdentity, type ControlPlaneIdentityOptions } from './control-plane-identity.js';
export type { ControlPlaneAuth } from './control-plane-auth.js';
