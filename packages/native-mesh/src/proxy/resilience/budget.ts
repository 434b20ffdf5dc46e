import { DEFAULTS, durationMs, type RetryBudget as RetryBudgetSpec } from '@anymesh/core';

const BUCKETS = 10;

/**
 * Linkerd's retry budget: over a sliding window (10 buckets), retries may add at most `percent` %
 * of the original requests, plus `minRetriesPerSecond × window` so low-traffic services can still
 * retry. A retry the budget refuses is not made: the last attempt's answer goes back to the
 * caller. This is what keeps retries from multiplying the load of an outage.
 */
export class RetryBudget {
  #ratio = DEFAULTS.retryBudgetPercent / 100;
  #reserve = 0;
  #bucketMs = 0;
  readonly #requests = new Float64Array(BUCKETS);
  readonly #retries = new Float64Array(BUCKETS);
  #bucket = 0;
  #bucketStart = 0;

  constructor(spec?: RetryBudgetSpec) {
    this.configure(spec);
  }

  configure(spec: RetryBudgetSpec | undefined): void {
    const windowMs = durationMs(spec?.window ?? DEFAULTS.retryBudgetWindow);
    this.#ratio = (spec?.percent ?? DEFAULTS.retryBudgetPercent) / 100;
    this.#reserve = (spec?.minRetriesPerSecond ?? DEFAULTS.retryBudgetMinPerSecond) * (windowMs / 1000);
    if (windowMs / BUCKETS !== this.#bucketMs) {
      this.#bucketMs = windowMs / BUCKETS;
      this.#requests.fill(0);
      this.#retries.fill(0);
      this.#bucketStart = 0;
    }
  }

  /** Counts an original request. */
  deposit(now: number): void {
    this.#advance(now);
    this.#requests[this.#bucket]!++;
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryWithdraw(now: number): boolean {
    this.#advance(now);
    let requests = 0;
    let retries = 0;
    for (let i = 0; i < BUCKETS; i++) {
      requests += this.#requests[i]!;
      retries += this.#retries[i]!;
    }
    if (retries + 1 > requests * this.#ratio + this.#reserve) return false;
    this.#retries[this.#bucket]!++;
    return true;
  }

  #advance(now: number): void {
    if (this.#bucketStart === 0) {
      this.#bucketStart = now;
      return;
    }
    const elapsed = Math.floor((now - this.#bucketStart) / this.#bucketMs);
    if (elapsed <= 0) return;
    for (let i = 0; i < Math.min(elapsed, BUCKETS); i++) {
      this.#bucket = (this.#bucket + 1) % BUCKETS;
      this.#requests[this.#bucket] = 0;
      this.#retries[this.#bucket] = 0;
    }
    this.#bucketStart += elapsed * this.#bucketMs;
  }
}
