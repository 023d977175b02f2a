// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The response headers a download reads: Content-Range (of a 206 and of a
// 416), Content-Length and Retry-After. A number too large to be exact is
// malformed: offsets and sizes must be exact to resume and to split a file.

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
  if (/^\d+$/.test(text)) {
    const seconds = exact(text);
    return seconds === undefined ? undefined : seconds * 1000;
  }
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
 * @returns The range, or `undefined` when absent or malformed (a last byte
 * before the first, or past the end).
 */
export function parseContentRange(value: string | null): ContentRange | undefined {
  const match = value === null ? null : /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (match === null) return undefined;
  const start = exact(match[1]!);
  const last = exact(match[2]!);
  if (start === undefined || last === undefined) return undefined;
  const range: ContentRange = { start, last };
  if (match[3] !== "*") {
    const total = exact(match[3]!);
    if (total === undefined) return undefined;
    range.total = total;
  }
  if (range.last < range.start) return undefined;
  return range.total !== undefined && range.last >= range.total ? undefined : range;
}

/**
 * Parses the `Content-Range: bytes *\/<size>` of a `416` response.
 *
 * @param value The header value.
 * @returns The resource size, or `undefined`.
 */
export function parseUnsatisfiedRange(value: string | null): number | undefined {
  const match = value === null ? null : /^bytes\s+\*\/(\d+)$/i.exec(value.trim());
  return match === null ? undefined : exact(match[1]!);
}

/**
 * Parses `Content-Length`.
 *
 * @param headers Response headers.
 * @returns The length, or `undefined` when absent or malformed.
 */
export function contentLength(headers: Headers): number | undefined {
  const value = headers.get("content-length")?.trim();
  return value !== undefined && /^\d+$/.test(value) ? exact(value) : undefined;
}

/** The number of a run of digits, or `undefined` when it is too large to be exact. */
function exact(digits: string): number | undefined {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}
