import type { CircuitBreaker as CircuitBreakerSpec } from '@anymesh/core';

/** The limit that rejected a request; the reason header is `circuit-breaker-<limit>`. */
export type BreakerLimit = 'max-connections' | 'max-pending-requests' | 'max-requests';

export interface Waiter {
  readonly admit: () => void;
  settled: boolean;
}

/**
 * Connection and request limits of one upstream group, per caller sidecar (Envoy's resource
 * manager). A request is admitted when fewer than `maxRequests` are active and a connection is
 * available: HTTP/1.1 carries one request per connection, so connections in use = active requests,
 * capped by `maxConnections`. Otherwise it waits (pending) if fewer than `maxPendingRequests` wait,
 * else it is rejected at once. Unset limits are unbounded.
 */
export class CircuitBreaker {
  #maxConnections = Infinity;
  #maxPending = Infinity;
  #maxRequests = Infinity;
  #active = 0;
  readonly #waiting: Waiter[] = [];

  configure(spec: CircuitBreakerSpec | undefined): void {
    this.#maxConnections = spec?.maxConnections ?? Infinity;
    this.#maxPending = spec?.maxPendingRequests ?? Infinity;
    this.#maxRequests = spec?.maxRequests ?? Infinity;
    this.#drain();
  }

  get maxConnections(): number {
    return this.#maxConnections;
  }

  get active(): number {
    return this.#active;
  }

  /** Admits a request now (`true`), says it must wait for a connection (`wait`), or names the limit that rejects it. */
  tryAcquire(): true | 'wait' | BreakerLimit {
    if (this.#active >= this.#maxRequests) return 'max-requests';
    if (this.#active < this.#maxConnections && this.#waiting.length === 0) {
      this.#active++;
      return true;
    }
    if (this.#waiting.length >= this.#maxPending) return this.#maxPending === 0 ? 'max-connections' : 'max-pending-requests';
    return 'wait';
  }

  /** Queues a request that must wait; `admit` runs when a slot frees (cancel it with `cancel`). */
  wait(admit: () => void): Waiter {
    const waiter: Waiter = { admit, settled: false };
    this.#waiting.push(waiter);
    return waiter;
  }

  /** Withdraws a queued request (timed out or cancelled by the caller). */
  cancel(waiter: Waiter): void {
    if (waiter.settled) return;
    waiter.settled = true;
    const i = this.#waiting.indexOf(waiter);
    if (i !== -1) this.#waiting.splice(i, 1);
  }

  /** A request admitted earlier finished. */
  release(): void {
    this.#active--;
    this.#drain();
  }

  #drain(): void {
    while (this.#waiting.length > 0 && this.#active < this.#maxConnections && this.#active < this.#maxRequests) {
      const waiter = this.#waiting.shift()!;
      waiter.settled = true;
      this.#active++;
      waiter.admit();
    }
  }
}
