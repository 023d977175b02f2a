// Copyright 2026 the aos-common authors. Apache-2.0 license.
// HTTP range headers, both ends: the file server's `Range` parser against a
// model of RFC 9110's single byte range, and the downloader's readers of
// `Content-Range`, `Content-Length` and `Retry-After`, which must only ever
// return what a download can use (safe integers, a range inside the size).
import assert from "node:assert/strict";
import fc from "fast-check";
import { type ByteRange, parseRange } from "../../fileserver/_http.ts";
import {
  contentLength,
  parseContentRange,
  parseRetryAfter,
  parseUnsatisfiedRange,
} from "../../downloader/_headers.ts";
import { damageText, edits, runs, tokens } from "./_fuzz.ts";

const NUMBER = fc.oneof(
  fc.nat(200).map(String),
  fc.constantFrom("0", "00", "007", "9007199254740991", "9007199254740993", "1" + "0".repeat(30)),
  fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
);
const SPACE = fc.constantFrom("", " ", "\t", "  ");
const PIECES = [
  ..."0123456789",
  "-",
  ",",
  "=",
  " ",
  "\t",
  "bytes",
  "BYTES",
  "items",
  "*",
  "/",
  ";",
  "\n",
];

/** A single range header from its parts, as a client may write it. */
const RANGE = fc.tuple(
  SPACE,
  fc.constantFrom("bytes", "Bytes", "items"),
  SPACE,
  SPACE,
  fc.option(NUMBER),
  SPACE,
  SPACE,
  fc.option(NUMBER),
  SPACE,
)
  .map(([s1, unit, s2, s3, first, s4, s5, last, s6]) => ({
    text: `${s1}${unit}${s2}=${s3}${first ?? ""}${s4}-${s5}${last ?? ""}${s6}`,
    unit,
    first,
    last,
  }));

/** RFC 9110 section 14.1.2, for one range over `size` bytes. */
function model(
  unit: string,
  first: string | null,
  last: string | null,
  size: number,
): ByteRange | "unsatisfiable" | undefined {
  if (unit.toLowerCase() !== "bytes" || (first === null && last === null)) return undefined;
  if (first === null) {
    const count = BigInt(last!);
    if (count === 0n || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - Number(count)), end: size - 1 };
  }
  const start = BigInt(first);
  if (last !== null && BigInt(last) < start) return undefined;
  if (start >= BigInt(size)) return "unsatisfiable";
  const end = last === null || BigInt(last) >= BigInt(size) ? size - 1 : Number(last);
  return { start: Number(start), end };
}

const SIZE = fc.oneof(fc.nat(300), fc.constantFrom(0, 1, 2 ** 32, Number.MAX_SAFE_INTEGER));

Deno.test("the file server's Range parser agrees with RFC 9110 on single ranges", () => {
  fc.assert(
    fc.property(RANGE, SIZE, ({ text, unit, first, last }, size) => {
      assert.deepEqual(
        parseRange(text, size),
        model(unit, first, last, size),
        `${text} of ${size}`,
      );
    }),
    runs(500),
  );
});

Deno.test("any Range header is ignored, unsatisfiable, or a range inside the file", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        tokens(PIECES),
        fc.tuple(RANGE, edits()).map(([{ text }, list]) => damageText(text, list, PIECES)),
      ),
      SIZE,
      (text, size) => {
        const range = parseRange(text, size);
        if (range === undefined || range === "unsatisfiable") return;
        assert.ok(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end), text);
        assert.ok(
          0 <= range.start && range.start <= range.end && range.end < size,
          `${text} of ${size}`,
        );
      },
    ),
    runs(500),
  );
});

const CONTENT_RANGE = fc.tuple(
  fc.constantFrom("bytes ", "BYTES  ", "bytes", "items "),
  NUMBER,
  NUMBER,
  fc.oneof(NUMBER, fc.constant("*")),
)
  .map(([unit, a, b, total]) => `${unit}${a}-${b}/${total}`);
const CONTENT_PIECES = [...PIECES, "bytes ", "*/"];

Deno.test("Content-Range, Content-Length and Retry-After give safe integers or nothing", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        CONTENT_RANGE,
        fc.tuple(CONTENT_RANGE, edits()).map(([text, list]) =>
          damageText(text, list, CONTENT_PIECES)
        ),
        NUMBER.map((n) => `bytes */${n}`),
        NUMBER,
        tokens(CONTENT_PIECES),
      ),
      (text) => {
        const range = parseContentRange(text);
        if (range !== undefined) {
          const { start, last, total } = range;
          assert.ok(Number.isSafeInteger(start) && Number.isSafeInteger(last), text);
          assert.ok(0 <= start && start <= last, text);
          if (total !== undefined) assert.ok(Number.isSafeInteger(total) && last < total, text);
        }
        const size = parseUnsatisfiedRange(text);
        if (size !== undefined) assert.ok(Number.isSafeInteger(size) && size >= 0, text);
        const length = contentLength(new Headers({ "content-length": text.replaceAll("\n", "") }));
        if (length !== undefined) assert.ok(Number.isSafeInteger(length) && length >= 0, text);
        const wait = parseRetryAfter(text, Date.now());
        if (wait !== undefined) assert.ok(Number.isFinite(wait) && wait >= 0, text);
      },
    ),
    runs(500),
  );
});
