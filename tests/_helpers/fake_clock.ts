// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A manual clock for code that takes a `{ now, sleep }` clock: `sleep` records
 * the requested duration, moves time forward by it and resolves at once, so
 * back-off and rate-limit waits cost no real time and can be asserted exactly.
 *
 * @module
 */

/** An abort-aware clock whose time only moves when told. */
export class FakeClock {
  /** Every duration passed to `sleep`, in order. */
  readonly sleeps: number[] = [];
  #now: number;

  /**
   * Creates a clock.
   *
   * @param start The initial time in milliseconds.
   */
  constructor(start = 0) {
    this.#now = start;
  }

  /**
   * The current time.
   *
   * @returns Milliseconds since an arbitrary origin.
   */
  now(): number {
    return this.#now;
  }

  /**
   * Records the wait and advances time by `ms`.
   *
   * @param ms The wait in milliseconds.
   * @param signal Rejects instead when already aborted.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    this.#now += ms;
    return Promise.resolve();
  }

  /**
   * Moves time forward without a sleep.
   *
   * @param ms How far.
   */
  advance(ms: number): void {
    this.#now += ms;
  }
}
