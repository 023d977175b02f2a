// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Cancellation helpers: every waiting API of the collection takes an
 * `AbortSignal` and rejects with an {@linkcode AosError} of kind `canceled`.
 *
 * @module
 */

import { AosError } from "./errors.ts";

/**
 * The error to reject with when `signal` aborted: a `canceled` error whose
 * cause is the signal's reason. A reason that already is an `AosError` is
 * returned as is, so callers can abort with their own error.
 *
 * @example
 * ```ts
 * import { canceledError } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const controller = new AbortController();
 * controller.abort(new Error("user gave up"));
 * const err = canceledError(controller.signal, "upload canceled");
 * assert.equal(err.kind, "canceled");
 * // The message ends with the reason's.
 * assert.equal(err.message, "upload canceled: user gave up");
 * assert.equal((err.cause as Error).message, "user gave up");
 * ```
 *
 * @param signal The aborted signal.
 * @param message What was canceled.
 * @returns The `canceled` error.
 */
export function canceledError(signal: AbortSignal, message = "operation canceled"): AosError {
  const reason: unknown = signal.reason;
  if (reason instanceof AosError) return reason;
  return new AosError("canceled", message, reason === undefined ? {} : { cause: reason });
}

/**
 * Throws a `canceled` {@linkcode AosError} when `signal` is aborted.
 *
 * @example
 * ```ts
 * import { errorIs, throwIfAborted } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const controller = new AbortController();
 * throwIfAborted(controller.signal); // not aborted: returns
 * throwIfAborted(undefined); // no signal: returns
 * controller.abort();
 * assert.throws(() => throwIfAborted(controller.signal, "scan canceled"), (err) =>
 *   errorIs(err, "canceled"));
 * ```
 *
 * @param signal The signal to test; `undefined` never throws.
 * @param message What was canceled.
 * @throws {AosError} `canceled` when the signal is aborted.
 */
export function throwIfAborted(signal: AbortSignal | undefined, message?: string): void {
  if (signal?.aborted) throw canceledError(signal, message);
}

/** Options of {@linkcode delay}. */
export interface DelayOptions {
  /** Cancels the wait with a `canceled` error. */
  signal?: AbortSignal;
}

/**
 * Resolves after `ms` milliseconds, or rejects with `canceled` as soon as the
 * signal aborts. The timer is cleared on abort, so nothing leaks.
 *
 * @example
 * ```ts
 * import { delay } from "@aoscore/common/utils";
 * await delay(1);
 * ```
 *
 * @param ms How long to wait, in milliseconds.
 * @param options The abort signal.
 * @returns A promise that settles after the wait.
 */
export function delay(ms: number, options: DelayOptions = {}): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(canceledError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(canceledError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
