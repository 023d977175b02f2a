// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The timer of a running attempt: it sends progress alerts while no data
// arrives (so a stalled transfer still reports) and fails the attempt when
// too few bytes arrived in the stall window.
import { AosError } from "../utils/errors.ts";
import type { ProgressReporter } from "./_progress.ts";

/** Settings of a {@linkcode Watchdog}. */
export interface WatchdogOptions {
  /** The counters to watch and tick. */
  progress: ProgressReporter;
  /** Time source. */
  now: () => number;
  /** Interval of progress alerts. */
  intervalMs: number;
  /** Stall window; 0 disables stall detection. */
  stallTimeoutMs: number;
  /** Bytes that must arrive per window. */
  stallMinBytes: number;
  /** Called once with the stall error. */
  onStall: (err: AosError) => void;
}

/** Ticks progress and detects stalls until stopped. */
export class Watchdog {
  readonly #options: WatchdogOptions;
  readonly #timer: ReturnType<typeof setInterval>;
  #armed = false;
  #windowStart = 0;
  #windowBytes = 0;

  /**
   * Starts the timer (at most one second between ticks).
   *
   * @param options What to watch.
   */
  constructor(options: WatchdogOptions) {
    this.#options = options;
    const stall = options.stallTimeoutMs > 0 ? options.stallTimeoutMs / 4 : Infinity;
    const period = Math.max(10, Math.min(1000, options.intervalMs, stall));
    this.#timer = setInterval(() => this.#tick(), period);
  }

  /** Starts stall detection: the body is flowing from now on. */
  armStall(): void {
    this.#armed = this.#options.stallTimeoutMs > 0;
    this.#windowStart = this.#options.now();
    this.#windowBytes = this.#options.progress.downloaded;
  }

  /** Stops the timer. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    const { progress, now, stallTimeoutMs, stallMinBytes } = this.#options;
    progress.tick();
    if (!this.#armed) return;
    const time = now();
    if (time - this.#windowStart < stallTimeoutMs) return;
    if (progress.downloaded - this.#windowBytes < stallMinBytes) {
      this.#armed = false;
      this.#options.onStall(
        new AosError(
          "timeout",
          `Transfer stalled: fewer than ${stallMinBytes} bytes in ${stallTimeoutMs} ms`,
        ),
      );
      return;
    }
    this.#windowStart = time;
    this.#windowBytes = progress.downloaded;
  }
}
