// Copyright 2026 the aos-common authors. Apache-2.0 license.

/**
 * Runs synchronous work behind an async API: its result as a resolved
 * promise, anything it throws as a rejection (never a synchronous throw).
 */
export function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Runs async jobs one after another, in the order they were queued. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Queues `job`; its result (or failure) is the returned promise's. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(job);
    this.#tail = next.catch(() => {});
    return next;
  }

  /** Resolves once every job queued so far has settled. */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
