// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A token bucket for bandwidth limits. Tokens are bytes; the bucket holds a
// quarter second of traffic, so a limit is smooth without stalling readers
// that take a large chunk. A chunk larger than the bucket is paid as debt.
import type { DownloaderClock } from "./types.ts";

const BURST_SECONDS = 0.25;

/** Limits the byte rate of whoever calls {@linkcode RateLimiter.take}. */
export class RateLimiter {
  readonly #clock: DownloaderClock;
  #rate = 0;
  #tokens = 0;
  #updatedAt = 0;

  /**
   * Creates a limiter.
   *
   * @param rate Bytes per second; 0 for no limit.
   * @param clock Time source.
   */
  constructor(rate: number, clock: DownloaderClock) {
    this.#clock = clock;
    this.setRate(rate);
  }

  /** Bytes per second; 0 when unlimited. */
  get rate(): number {
    return this.#rate;
  }

  /**
   * Changes the limit; it applies to the next chunk.
   *
   * @param rate Bytes per second; 0 for no limit.
   */
  setRate(rate: number): void {
    this.#rate = rate;
    this.#tokens = rate * BURST_SECONDS;
    this.#updatedAt = this.#clock.now();
  }

  /**
   * Accounts for `bytes` and waits as long as the limit requires.
   *
   * @param bytes Bytes just transferred.
   * @param signal Ends the wait early (rejecting).
   */
  async take(bytes: number, signal: AbortSignal): Promise<void> {
    if (this.#rate <= 0) return;
    const now = this.#clock.now();
    const capacity = this.#rate * BURST_SECONDS;
    this.#tokens = Math.min(capacity, this.#tokens + (now - this.#updatedAt) * this.#rate / 1000);
    this.#updatedAt = now;
    this.#tokens -= bytes;
    if (this.#tokens < 0) await this.#clock.sleep(-this.#tokens / this.#rate * 1000, signal);
  }
}
