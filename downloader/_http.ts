// Copyright 2026 the aos-common authors. Apache-2.0 license.
// HTTP details of a download attempt: reading Content-Range, Content-Length
// and Retry-After, turning a status into an error, and the retry hints an
// attempt's error carries (permanent, or retry after a server-given delay).
import { AosError } from "../utils/errors.ts";

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

/**
 * The error of an HTTP error status: kind `runtime` with the status in
 * `status` (reported as `exitCode` on the wire, as AosCore does). 4xx statuses other than 408 and 429 are
 * permanent; a `Retry-After` header sets the next wait.
 *
 * @param status The status code.
 * @param statusText The reason phrase.
 * @param headers The response headers.
 * @param url The URL requested.
 * @param nowMs Current wall-clock time, for an HTTP-date `Retry-After`.
 * @returns The error.
 */
export function statusError(
  status: number,
  statusText: string,
  headers: Headers,
  url: URL,
  nowMs: number,
): AosError {
  const text = `HTTP ${status}${statusText === "" ? "" : ` ${statusText}`}`;
  const err = new AosError(status >= 400 ? "runtime" : "failed", `${text} from ${url}`, {
    status,
  });
  const info: Hints = {
    permanent: status >= 400 && status < 500 && status !== 408 && status !== 429,
  };
  const after = parseRetryAfter(headers.get("retry-after"), nowMs);
  if (after !== undefined) info.retryAfterMs = after;
  hints.set(err, info);
  return err;
}

/**
 * Parses `Retry-After`: delay seconds or an HTTP date.
 *
 * @param value The header value.
 * @param nowMs Current wall-clock time in milliseconds.
 * @returns The wait in milliseconds, or `undefined` when absent or invalid.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** A parsed `Content-Range: bytes <start>-<last>/<total>`. */
export interface ContentRange {
  /** First byte. */
  start: number;
  /** Last byte, inclusive. */
  last: number;
  /** Size of the whole resource, when given (not `*`). */
  total?: number;
}

/**
 * Parses the `Content-Range` of a `206` response.
 *
 * @param value The header value.
 * @returns The range, or `undefined` when absent or malformed.
 */
export function parseContentRange(value: string | null): ContentRange | undefined {
  const match = value === null ? null : /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (match === null) return undefined;
  const range: ContentRange = { start: Number(match[1]), last: Number(match[2]) };
  if (match[3] !== "*") range.total = Number(match[3]);
  return range.last < range.start ? undefined : range;
}

/**
 * Parses the `Content-Range: bytes *\/<size>` of a `416` response.
 *
 * @param value The header value.
 * @returns The resource size, or `undefined`.
 */
export function parseUnsatisfiedRange(value: string | null): number | undefined {
  const match = value === null ? null : /^bytes\s+\*\/(\d+)$/i.exec(value.trim());
  return match === null ? undefined : Number(match[1]);
}

/**
 * Parses `Content-Length`.
 *
 * @param headers Response headers.
 * @returns The length, or `undefined` when absent or malformed.
 */
export function contentLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}
