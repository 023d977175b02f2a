// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The HTTP rules of a static file: content types, validators, conditional
// requests (RFC 9110 section 13) and single byte ranges (section 14). Pure
// functions over header values, so both server adapters and `handle()` share them.
import type { FileStat } from "./_files.ts";

// AosCore's table, with `zip`, `tar` and `gz` keyed without the stray leading
// dot that made them unreachable there. Matching is case-sensitive, as there.
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "application/javascript",
  json: "application/json",
  xml: "application/xml",
  txt: "text/plain",
  zip: "application/zip",
  tar: "application/x-tar",
  gz: "application/gzip",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  svg: "image/svg+xml",
  ico: "image/x-icon",
  pdf: "application/pdf",
};

/** The content type of a file name, from the text after its last dot. */
export function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf(".");
  const ext = dot < 0 ? "" : name.slice(dot + 1);
  return Object.hasOwn(CONTENT_TYPES, ext) ? CONTENT_TYPES[ext]! : "application/octet-stream";
}

/**
 * A strong entity tag from inode, creation time, size and modification time:
 * a file rewritten in place gets a new time or size, one replaced by rename a
 * new creation time (its inode number may well be the one the old file just
 * freed, and its modification time may be copied from anywhere).
 */
export function etagOf(stat: FileStat): string {
  const { ino, birthtimeMs, size, mtimeMs } = stat;
  return `"${ino.toString(16)}-${birthtimeMs.toString(16)}-${size.toString(16)}-${
    mtimeMs.toString(16)
  }"`;
}

/** An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`). */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Reads request headers by lower-case name, as `Headers` does; `null` when absent. */
export interface HeaderGetter {
  get(name: string): string | null;
}

/**
 * Evaluates the preconditions of a GET or HEAD in RFC 9110 order.
 *
 * @returns 412 or 304 when the request stops here, 200 otherwise.
 */
export function preconditionStatus(
  headers: HeaderGetter,
  etag: string,
  mtimeMs: number,
): 200 | 304 | 412 {
  const seconds = Math.floor(mtimeMs / 1000) * 1000;
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) {
    if (!matchesTag(ifMatch, etag, true)) return 412;
  } else {
    const since = parseDate(headers.get("if-unmodified-since"));
    if (since !== undefined && seconds > since) return 412;
  }
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    if (matchesTag(ifNoneMatch, etag, false)) return 304;
  } else {
    const since = parseDate(headers.get("if-modified-since"));
    if (since !== undefined && seconds <= since) return 304;
  }
  return 200;
}

/**
 * Whether a Range may be honoured under `If-Range`: absent, or naming exactly
 * the current entity tag (strong comparison) or modification time.
 */
export function ifRangeHolds(headers: HeaderGetter, etag: string, mtimeMs: number): boolean {
  const value = headers.get("if-range");
  if (value === null) return true;
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith("W/")) return trimmed === etag;
  return parseDate(trimmed) === Math.floor(mtimeMs / 1000) * 1000;
}

/** A satisfiable byte range, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a `Range` header against a file of `size` bytes.
 *
 * @returns The range; `"unsatisfiable"` for a valid single range that selects
 * nothing (416); `undefined` when the header is to be ignored (syntax errors,
 * other units, several ranges: the full body is sent instead).
 */
export function parseRange(value: string, size: number): ByteRange | "unsatisfiable" | undefined {
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(value);
  if (match === null) return undefined;
  const [, first = "", last = ""] = match;
  if (first === "") {
    if (last === "") return undefined;
    // Suffix range: the last N bytes.
    const count = Number(last);
    if (count === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - count), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && digitsBelow(last, first)) return undefined;
  if (start >= size) return "unsatisfiable";
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return { start, end };
}

/**
 * Whether one run of digits is a smaller number than another, exactly: as
 * doubles, numbers past 2^53 that differ can compare equal.
 */
function digitsBelow(a: string, b: string): boolean {
  a = a.replace(/^0+(?=\d)/, "");
  b = b.replace(/^0+(?=\d)/, "");
  return a.length !== b.length ? a.length < b.length : a < b;
}

// `etag` is always one of ours: strong, quoted, without commas.
function matchesTag(list: string, etag: string, strong: boolean): boolean {
  if (list.trim() === "*") return true;
  for (const [, weak, tag] of list.matchAll(/(W\/)?("[^"]*")/g)) {
    if (tag === etag && !(strong && weak !== undefined)) return true;
  }
  return false;
}

function parseDate(value: string | null): number | undefined {
  if (value === null) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
