// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A restartable one-shot or periodic timer, as AosCore's `Timer`.
 *
 * Deviation from AosCore: periodic callbacks never overlap. When an async
 * callback has not settled by the next due time, that occurrence is skipped
 * (AosCore runs callbacks on a thread pool, where a slow one could overlap
 * the next).
 *
 * @module
 */

import { clearTimeout, setTimeout } from "node:timers";
import { AosError } from "./errors.ts";

/** Options of {@linkcode Timer.start}. */
export interface TimerStartOptions {
  /**
   * Fires once, then stops; `false` fires every interval.
   *
   * @default {true}
   */
  oneShot?: boolean;
  /**
   * Lets the process exit while the timer is armed.
   *
   * @default {false}
   */
  unref?: boolean;
  /** Stops the timer when aborted. */
  signal?: AbortSignal;
  /**
   * Receives what a callback throws or rejects with. Without it the error
   * is left unhandled, as from a bare `setTimeout` callback.
   */
  onError?: (err: unknown) => void;
}

/** What a {@linkcode Timer} calls. */
export type TimerCallback = () => void | Promise<void>;

/**
 * A timer that can be started, stopped and restarted.
 *
 * @example
 * ```ts
 * import { Timer } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const { promise, resolve } = Promise.withResolvers<void>();
 * using timer = new Timer();
 * let ticks = 0;
 * timer.start(1, () => {
 *   if (++ticks === 3) resolve();
 * }, { oneShot: false });
 * await promise;
 * timer.stop();
 * assert.equal(ticks, 3);
 * ```
 */
export class Timer implements Disposable {
  #handle: ReturnType<typeof setTimeout> | undefined;
  #interval = 0;
  #callback: TimerCallback | undefined;
  #options: TimerStartOptions = {};
  #busy = false;
  #onAbort = (): void => this.stop();

  /** Whether the timer is armed. */
  get running(): boolean {
    return this.#handle !== undefined;
  }

  /**
   * Arms the timer; an armed timer is restarted with the new settings.
   *
   * @param intervalMs The delay (one-shot) or period, in milliseconds; more than 0.5.
   * @param callback What to call.
   * @param options One-shot or periodic, unref, abort signal and error handler.
   * @throws {AosError} `invalidArgument` for an interval of 0.5 ms or less.
   */
  start(intervalMs: number, callback: TimerCallback, options: TimerStartOptions = {}): void {
    if (!(intervalMs > 0.5) || !Number.isFinite(intervalMs)) {
      throw new AosError(
        "invalidArgument",
        `Cannot start timer: invalid interval ${intervalMs} ms`,
      );
    }
    this.stop();
    if (options.signal?.aborted) return;
    this.#interval = intervalMs;
    this.#callback = callback;
    this.#options = options;
    options.signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.#arm();
  }

  /** Disarms the timer; a callback already running is not interrupted. Idempotent. */
  stop(): void {
    if (this.#handle === undefined) return;
    clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#options.signal?.removeEventListener("abort", this.#onAbort);
  }

  /** Re-arms the timer with its last interval and callback; does nothing if it was never started. */
  restart(): void {
    if (this.#callback === undefined) return;
    this.start(this.#interval, this.#callback, this.#options);
  }

  /** Stops the timer. */
  [Symbol.dispose](): void {
    this.stop();
  }

  #arm(): void {
    this.#handle = setTimeout(() => this.#fire(), this.#interval);
    if (this.#options.unref === true) this.#handle.unref();
  }

  #fire(): void {
    const { oneShot = true, onError } = this.#options;
    if (oneShot) this.stop();
    else this.#arm();
    if (this.#busy) return;
    let result: void | Promise<void>;
    try {
      result = this.#callback!();
    } catch (err) {
      if (onError === undefined) throw err;
      onError(err);
      return;
    }
    if (result instanceof Promise) {
      this.#busy = true;
      result.then(
        () => {
          this.#busy = false;
        },
        (err) => {
          this.#busy = false;
          if (onError === undefined) throw err;
          onError(err);
        },
      );
    }
  }
}
