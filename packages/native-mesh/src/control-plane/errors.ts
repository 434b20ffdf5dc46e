/** Codes of control-plane failures a caller can act on; stable, documented in docs/native-mesh/control-plane.md. */
export type ControlPlaneErrorCode = 'STATE_INVALID' | 'STATE_UNWRITABLE' | 'POLICIES_INVALID' | 'LISTEN_FAILED';

export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';

  constructor(
    readonly code: ControlPlaneErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
