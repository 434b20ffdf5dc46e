export { TapHub, TAP_MAX_BUFFERED_BYTES, type TapEvent, type TapFilter } from './tap-hub.js';
export { openTap, type TapTarget, type TapHandlers, type TapSession } from './tap-client.js';
