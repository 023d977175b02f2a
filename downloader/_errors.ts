// Copyright 2026 the aos-common authors. Apache-2.0 license.
// How an attempt fails: the error of an HTTP status, the error an attempt
// reports, and the retry hints an error carries (permanent, or retry after a
// delay the server asked for).
import { AosError } from "../utils/errors.ts";
import { parseRetryAfter } from "./_headers.ts";

interface Hints {
  permanent: boolean;
  retryAfterMs?: number;
}

const hints = new WeakMap<AosError, Hints>();

/**
 * Marks an error that another attempt cannot fix.
 *
 * @param err The error.
 * @returns The same error.
 */
export function permanent(err: AosError): AosError {
  hints.set(err, { ...hints.get(err), permanent: true });
  return err;
}

/**
 * Whether an error was marked with {@linkcode permanent}.
 *
 * @param err Anything thrown.
 * @returns `true` for a permanent failure.
 */
export function isPermanent(err: unknown): boolean {
  return err instanceof AosError && hints.get(err)?.permanent === true;
}

/**
 * The wait a server asked for before the next attempt.
 *
 * @param err Anything thrown.
 * @returns Milliseconds, or `undefined`.
 */
export function retryAfterOf(err: unknown): number | undefined {
  return err instanceof AosError ? hints.get(err)?.retryAfterMs : undefined;
}

/** A response that is not the content asked for. */
export interface StatusResponse {
  /** The status code. */
  status: number;
  /** The reason phrase. */
  statusText: string;
  /** The response headers. */
  headers: Headers;
}

/**
 * The error of a response with an unexpected status: kind `runtime` with
 * the status in `status` for 4xx and 5xx (reported as `exitCode` on the
 * wire, as AosCore does), `failed` otherwise. 4xx statuses other than 408
 * and 429 are permanent; a `Retry-After` header sets the next wait.
 *
 * @param response The response.
 * @param url The URL requested.
 * @returns The error.
 */
export function statusError(response: StatusResponse, url: URL): AosError {
  const { status, statusText, headers } = response;
  const text = `HTTP ${status}${statusText === "" ? "" : ` ${statusText}`}`;
  const err = new AosError(status >= 400 ? "runtime" : "failed", `${text} from ${url}`, {
    status,
  });
  const info: Hints = {
    permanent: status >= 400 && status < 500 && status !== 408 && status !== 429,
  };
  const after = parseRetryAfter(headers.get("retry-after"), Date.now());
  if (after !== undefined) info.retryAfterMs = after;
  hints.set(err, info);
  return err;
}

/**
 * The error an attempt reports: the abort reason when it was aborted
 * (cancel, timeout, stall), else the error as an `AosError`.
 *
 * @param err What was thrown.
 * @param signal The attempt's signal.
 * @param url The URL.
 * @returns The error.
 */
export function attemptError(err: unknown, signal: AbortSignal, url: URL): AosError {
  if (signal.aborted) return AosError.from(signal.reason);
  if (err instanceof AosError) return err;
  return AosError.wrap(err, "failed", `Transfer from ${url.host} failed`);
}
