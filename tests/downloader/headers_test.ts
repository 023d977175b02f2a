// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The response headers a download reads.
import assert from "node:assert/strict";
import {
  contentLength,
  parseContentRange,
  parseRetryAfter,
  parseUnsatisfiedRange,
} from "../../downloader/_headers.ts";

// Found by tests/fuzz: digits past 2^53 were read as the nearest double, so a
// server could make a download plan segments, resume or size a file at
// offsets that are not the ones it sent.
Deno.test("numbers in range and length headers too large to be exact are malformed", () => {
  const max = String(Number.MAX_SAFE_INTEGER);
  assert.deepEqual(parseContentRange(`bytes 0-99/${max}`), {
    start: 0,
    last: 99,
    total: 2 ** 53 - 1,
  });
  assert.equal(parseContentRange("bytes 0-99/9007199254740993"), undefined);
  assert.equal(parseContentRange("bytes 9007199254740992-9007199254740993/*"), undefined);
  assert.equal(parseUnsatisfiedRange(`bytes */${max}`), 2 ** 53 - 1);
  assert.equal(parseUnsatisfiedRange("bytes */9007199254740992"), undefined);
  assert.equal(contentLength(new Headers({ "content-length": ` ${max} ` })), 2 ** 53 - 1);
  assert.equal(contentLength(new Headers({ "content-length": "9007199254740992" })), undefined);
  assert.equal(parseRetryAfter("1" + "0".repeat(400), 0), undefined);
  assert.equal(parseRetryAfter("120", 0), 120_000);
});
