// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { base64Decode, base64Encode, fromHex, toHex } from "../../utils/encoding.ts";
import { errorIs } from "../../utils/errors.ts";

Deno.test("base64Encode writes padded standard base64 without line breaks by default", () => {
  assert.equal(base64Encode(""), "");
  assert.equal(base64Encode("f"), "Zg==");
  assert.equal(base64Encode("fo"), "Zm8=");
  assert.equal(base64Encode(new Uint8Array([0xfb, 0xff])), "+/8=");
  assert.equal(base64Encode("a".repeat(60)), "YWFh".repeat(20));
  const view = new Uint8Array([0, 102, 111, 111, 0]).subarray(1, 4);
  assert.equal(base64Encode(view), "Zm9v", "respects a view's offset");
});

Deno.test("base64Encode with lineLength 72 matches AosCore byte for byte", () => {
  assert.equal(
    base64Encode("a".repeat(60), { lineLength: 72 }),
    `${"YWFh".repeat(18)}\r\n${"YWFh".repeat(2)}`,
  );
  assert.equal(
    base64Encode("a".repeat(54), { lineLength: 72 }),
    "YWFh".repeat(18),
    "no break after the last line",
  );
  assert.equal(base64Encode("a".repeat(108), { lineLength: 72 }).split("\r\n").length, 2);
  assert.throws(() => base64Encode("x", { lineLength: -1 }), (e) => errorIs(e, "invalidArgument"));
});

Deno.test("base64Decode skips whitespace, accepts missing padding and rejects bad input", () => {
  const bytes = new TextEncoder().encode("a".repeat(60));
  assert.deepEqual(base64Decode(base64Encode(bytes, { lineLength: 72 })), bytes);
  assert.deepEqual(base64Decode(" Zm8=\n"), new Uint8Array([102, 111]));
  assert.deepEqual(base64Decode("Zm8"), new Uint8Array([102, 111]));
  assert.deepEqual(base64Decode(""), new Uint8Array());
  for (
    const [bad, why] of [["Zm8*", /invalid character "\*"/], ["Z", /truncated/], [
      "Zm=8",
      /misplaced/,
    ], [
      "Zm8==",
      /misplaced/,
    ], ["====", /misplaced/]] as const
  ) {
    assert.throws(
      () => base64Decode(bad),
      (e) => errorIs(e, "invalidArgument") && why.test(String(e)),
      bad,
    );
  }
});

Deno.test("hex converts both ways and rejects odd or non-hex text", () => {
  assert.equal(toHex(new Uint8Array([0, 0xab, 0xff])), "00abff");
  assert.deepEqual(fromHex("00ABff"), new Uint8Array([0, 0xab, 0xff]));
  assert.throws(
    () => fromHex("abc"),
    (e) => errorIs(e, "invalidArgument") && /odd length/.test(String(e)),
  );
  assert.throws(
    () => fromHex("zz"),
    (e) => errorIs(e, "invalidArgument") && /not a hex digit/.test(String(e)),
  );
});

// Found by tests/fuzz: the trailing padding was stripped with /=+$/, which
// backtracks over every start of a run of "=": 50,000 of them took 5 s, and
// this input would take over half an hour. A regression shows as a suite that
// does not finish rather than as a timing assert.
Deno.test("base64Decode of a megabyte of misplaced padding fails at once", () => {
  for (const text of ["=".repeat(1 << 20) + "A", "A" + "=".repeat(1 << 20) + "A"]) {
    assert.throws(() => base64Decode(text), (e) => errorIs(e, "invalidArgument"));
  }
  assert.deepEqual(base64Decode("Zm8=" + " ".repeat(1 << 20)), new Uint8Array([102, 111]));
});
