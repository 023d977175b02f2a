// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Retry with exponential backoff, as AosCore's `Retry` does it: attempts are
 * numbered from 1, the delay doubles after each failure up to a cap, and the
 * last error is rethrown when the tries run out.
 *
 * Beyond AosCore: a `shouldRetry` predicate stops on errors that will not go
 * away (an HTTP 404) or sets the next delay (an HTTP `Retry-After`); an error
 * that carries a numeric `retryAfterMs` sets the next delay too; jitter; and
 * an `AbortSignal` that interrupts the wait with a `canceled` error.
 *
 * @module
 */

import { canceledError, delay } from "./abort.ts";
import { AosError } from "./errors.ts";

/**
 * What {@linkcode RetryOptions.shouldRetry} decides: `false` stops and
 * rethrows, `true` retries after the backoff delay, a number retries after
 * that many milliseconds instead.
 */
export type RetryDecision = boolean | number;

/** Options of {@linkcode retry}. */
export interface RetryOptions {
  /**
   * Attempts in all, the first included; 0 retries until success or abort.
   *
   * @default {3}
   */
  maxTries?: number;
  /**
   * Delay after the first failure, in milliseconds.
   *
   * @default {1000}
   */
  delayMs?: number;
  /**
   * Largest backoff delay, in milliseconds; 0 means no cap.
   *
   * @default {60000}
   */
  maxDelayMs?: number;
  /**
   * Factor applied to the delay after each failure.
   *
   * @default {2}
   */
  multiplier?: number;
  /**
   * Share of each delay that is random, from 0 (none) to 1: a delay `d`
   * becomes a uniform pick in `[d × (1 − jitter), d]`. Spreads the retries
   * of many devices that failed at the same moment.
   * @default {0}
   */
  jitter?: number;
  /**
   * Decides after each failure that leaves tries whether to go on, and may
   * set the next delay. A delay set here or by the error's `retryAfterMs` is
   * used as it is, without `maxDelayMs` or jitter (cap it here when the
   * source is not trusted). Without a predicate every error is retried
   * except `canceled` ones.
   *
   * @param err The error the attempt threw.
   * @param attempt The number of the failed attempt, from 1.
   * @returns See {@linkcode RetryDecision}.
   */
  shouldRetry?: (err: unknown, attempt: number) => RetryDecision;
  /**
   * Called before each wait (never after the final failure).
   *
   * @param attempt The number of the failed attempt, from 1.
   * @param delayMs How long the wait will be.
   * @param err The attempt's error as an `AosError`.
   */
  onRetry?: (attempt: number, delayMs: number, err: AosError) => void;
  /** Cancels the retries (and the wait between them) with a `canceled` error. */
  signal?: AbortSignal;
}

/**
 * Calls `fn` until it succeeds, waiting longer after each failure.
 *
 * @example Stop on a client error, honour a server's Retry-After
 * ```ts
 * import { AosError, retry } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * class HttpError extends AosError {
 *   retryAfterMs: number | undefined;
 *   constructor(status: number, retryAfterMs?: number) {
 *     super("failed", `HTTP ${status}`, { status });
 *     this.retryAfterMs = retryAfterMs;
 *   }
 * }
 * const statuses = [503, 404];
 * const waits: number[] = [];
 * await assert.rejects(
 *   retry(() => {
 *     throw new HttpError(statuses.shift()!, 5);
 *   }, {
 *     shouldRetry: (err) => !(err instanceof HttpError && err.status! < 500),
 *     onRetry: (_attempt, delayMs) => waits.push(delayMs),
 *   }),
 *   /HTTP 404/,
 * );
 * assert.deepEqual(waits, [5]);
 * ```
 *
 * @param fn The operation; it receives the attempt number, from 1.
 * @param options Tries, delays, the retry predicate, callbacks and the abort signal.
 * @returns What `fn` returned on its first success.
 * @throws The last error of `fn` when the tries run out or `shouldRetry` says stop;
 *   `AosError` `canceled` on abort; `invalidArgument` for bad options.
 */
export async function retry<T>(
  fn: (attempt: number) => T | Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const {
    maxTries = 3,
    delayMs = 1000,
    maxDelayMs = 60_000,
    multiplier = 2,
    jitter = 0,
    shouldRetry = defaultShouldRetry,
    onRetry,
    signal,
  } = options;
  check(Number.isSafeInteger(maxTries) && maxTries >= 0, "maxTries", maxTries);
  check(Number.isFinite(delayMs) && delayMs >= 0, "delayMs", delayMs);
  check(Number.isFinite(maxDelayMs) && maxDelayMs >= 0, "maxDelayMs", maxDelayMs);
  check(Number.isFinite(multiplier) && multiplier >= 1, "multiplier", multiplier);
  check(jitter >= 0 && jitter <= 1, "jitter", jitter);

  let backoff = cap(delayMs, maxDelayMs);
  for (let attempt = 1;; attempt++) {
    if (signal?.aborted) throw canceledError(signal);
    try {
      return await fn(attempt);
    } catch (err) {
      if (signal?.aborted) throw canceledError(signal);
      if (maxTries !== 0 && attempt >= maxTries) throw err;
      const decision = shouldRetry(err, attempt);
      if (decision === false) throw err;
      const wait = asDelay(decision) ??
        asDelay((err as { retryAfterMs?: unknown } | null)?.retryAfterMs) ??
        backoff * (1 - jitter * Math.random());
      onRetry?.(attempt, wait, AosError.from(err));
      await delay(wait, signal === undefined ? {} : { signal });
      backoff = cap(backoff * multiplier, maxDelayMs);
    }
  }
}

function defaultShouldRetry(err: unknown): boolean {
  return !(err instanceof AosError && err.kind === "canceled");
}

function asDelay(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function cap(ms: number, maxMs: number): number {
  return maxMs === 0 ? ms : Math.min(ms, maxMs);
}

function check(ok: boolean, name: string, value: unknown): void {
  if (!ok) throw new AosError("invalidArgument", `Cannot retry: invalid ${name}: ${value}`);
}
