/** A long-poll waiting for a config version other than the one it already has. */
interface Waiter {
  readonly after: number;
  readonly answer: () => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Parks long-poll requests until the config version moves past what the caller has, or a timeout
 * passes. Answering is done by the caller's `answer` callback, which reads the current snapshot,
 * so every waiter sees the newest version even when several changes land at once.
 */
export class Watchers {
  readonly #waiters = new Set<Waiter>();

  /** Returns a function that cancels the wait (the client went away). */
  wait(after: number, timeoutMs: number, answer: () => void): () => void {
    const waiter: Waiter = {
      after,
      answer,
      timer: setTimeout(() => this.#settle(waiter), timeoutMs),
    };
    this.#waiters.add(waiter);
    return () => {
      clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
    };
  }

  /** Answers every waiter whose version differs from `version`. */
  notify(version: number): void {
    for (const waiter of this.#waiters) if (waiter.after !== version) this.#settle(waiter);
  }

  /** Answers everyone now (shutdown). */
  releaseAll(): void {
    for (const waiter of this.#waiters) this.#settle(waiter);
  }

  get size(): number {
    return this.#waiters.size;
  }

  #settle(waiter: Waiter): void {
    if (!this.#waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.answer();
  }
}
