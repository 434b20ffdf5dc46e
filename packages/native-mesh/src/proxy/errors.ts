/**
 * The proxy's error codes: each maps to the status the caller receives and the reason sent in
 * `x-anymesh-reason`, so a failure is typed in code and explained on the wire.
 */
export const PROXY_ERRORS = {
  UNKNOWN_SERVICE: { status: 404, reason: 'unknown-service' },
  BAD_REQUEST: { status: 400, reason: 'bad-request' },
  NO_HEALTHY_UPSTREAM: { status: 503, reason: 'no-healthy-upstream' },
  UPSTREAM_CONNECT: { status: 503, reason: 'upstream-connect-failure' },
  UPSTREAM_RESET: { status: 503, reason: 'upstream-reset' },
  TIMEOUT: { status: 504, reason: 'request-timeout' },
  PER_TRY_TIMEOUT: { status: 504, reason: 'per-try-timeout' },
  BREAKER_OPEN: { status: 503, reason: 'circuit-breaker' },
  FAULT_ABORT: { status: 503, reason: 'fault-abort' },
  APP_UNAVAILABLE: { status: 503, reason: 'app-unavailable' },
  ACCESS_DENIED: { status: 403, reason: 'access-denied' },
  NO_CONFIG: { status: 503, reason: 'no-config' },
} as const satisfies Record<string, { status: number; reason: string }>;

export type ProxyErrorCode = keyof typeof PROXY_ERRORS;

export class AnymeshProxyError extends Error {
  readonly code: ProxyErrorCode;
  /** Status answered to the caller. */
  readonly status: number;
  /** Value of `x-anymesh-reason`. */
  readonly reason: string;

  constructor(code: ProxyErrorCode, message: string, options?: { status?: number; reason?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AnymeshProxyError';
    this.code = code;
    this.status = options?.status ?? PROXY_ERRORS[code].status;
    this.reason = options?.reason ?? PROXY_ERRORS[code].reason;
  }
}

/** True for the local failures that count as an upstream 5xx (retry `5xx`, outlier detection). */
export function isLocalUpstreamFailure(error: AnymeshProxyError): boolean {
  return error.code === 'UPSTREAM_CONNECT' || error.code === 'UPSTREAM_RESET' || error.code === 'PER_TRY_TIMEOUT';
}
