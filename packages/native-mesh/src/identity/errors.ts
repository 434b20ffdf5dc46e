export type IdentityErrorCode = 'CSR_INVALID' | 'CSR_IDENTITY_MISMATCH' | 'CA_STATE_INVALID' | 'CERT_INVALID';

/** A certificate-authority or identity failure; `code` is stable for callers and logs. */
export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
  ) {
    super(message);
  }
}
