import type { AnymeshProxyError } from '../errors.js';

/**
 * Cancels a request's pending work (a breaker wait, an attempt, a backoff sleep) when its timeout
 * fires or its caller goes away. What an AbortSignal did here, without EventTarget listeners and
 * per-request abort-signal plumbing in `http.request` (about a tenth of the outbound sidecar's
 * CPU in the profile). One step of a request is pending at a time, so one listener is enough.
 */
export class Cancellation {
  #reason: AnymeshProxyError | undefined;
  #listener: (() => void) | undefined;

  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  get reason(): AnymeshProxyError | undefined {
    return this.#reason;
  }

  /** Cancels (the first reason wins) and runs the pending step's listener. */
  cancel(reason: AnymeshProxyError): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
  }

  /** What to do if cancelled while the current step is pending (replaces the previous step's). */
  onCancel(listener: () => void): void {
    this.#listener = listener;
  }

  /** The current step finished: nothing to do on cancel any more. */
  clear(): void {
    this.#listener = undefined;
  }
}
