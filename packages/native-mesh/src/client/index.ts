export { ControlPlaneClient, type ControlPlaneClientOptions, type ClientEvent } from './control-plane-client.js';
