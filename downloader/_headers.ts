// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The response headers a download reads: Content-Range (of a 206 and of a
// 416), Content-Length and Retry-After.

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
 * @returns The range, or `undefined` when absent or malformed (a last byte
 * before the first, or past the end).
 */
export function parseContentRange(value: string | null): ContentRange | undefined {
  const match = value === null ? null : /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (match === null) return undefined;
  const range: ContentRange = { start: Number(match[1]), last: Number(match[2]) };
  if (match[3] !== "*") range.total = Number(match[3]);
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
