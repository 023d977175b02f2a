// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The small parsers of utils and migration: what their writers produce reads
// back exactly, and any other text gives a value or a typed error.
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseScriptName } from "../../migration/scripts.ts";
import {
  base64Decode,
  base64Encode,
  digestBytes,
  formatUuid,
  fromErrorInfo,
  fromHex,
  nameUuid,
  parseDigest,
  parseJson,
  parseJsonStream,
  parseKeyValue,
  parseUuid,
  toHex,
  validateDigest,
} from "../../utils/mod.ts";
import { AosError } from "../../utils/errors.ts";
import { damageBytes, edits, outcome, runs, split, tokens } from "./_fuzz.ts";

const ANY_TEXT = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  tokens([
    ..."0123456789abcdefABCDEF",
    "-",
    ":",
    "=",
    "+",
    "/",
    " ",
    "\n",
    "\t",
    "{",
    "}",
    "[",
    "]",
    '"',
    ",",
    ".",
    "\0",
    "sha256:",
    "é",
  ]),
);

Deno.test("base64 and hex read back what they write, and fail typed on anything else", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.constantFrom(0, 4, 72),
      ANY_TEXT,
      (bytes, lineLength, text) => {
        assert.deepEqual(base64Decode(base64Encode(bytes, { lineLength })), bytes);
        assert.deepEqual(fromHex(toHex(bytes)), bytes);
        const decoded = outcome(() => base64Decode(text), text);
        if (decoded.error === undefined) assert.ok(decoded.value instanceof Uint8Array);
        outcome(() => fromHex(text), text);
      },
    ),
    runs(400),
  );
});

Deno.test("UUIDs and digests read back what they write, and fail typed on anything else", () => {
  fc.assert(
    fc.property(fc.uuid(), fc.uint8Array({ maxLength: 64 }), ANY_TEXT, (uuid, data, text) => {
      assert.equal(formatUuid(parseUuid(uuid)), uuid.toLowerCase());
      assert.ok(validateDigest(digestBytes(data)));
      for (const parse of [parseUuid, nameUuid, parseDigest, validateDigest]) {
        outcome(() => parse(text), text);
      }
    }),
    runs(400),
  );
});

Deno.test("key-value lines and migration script names never throw on text", () => {
  fc.assert(
    fc.property(
      ANY_TEXT,
      fc.constantFrom(":", "=", ":="),
      fc.boolean(),
      (line, delimiters, trim) => {
        const pair = parseKeyValue(line, { delimiters, trim });
        if (pair !== undefined) assert.ok(pair.key !== "" && pair.value !== "");
        const script = parseScriptName(line);
        if (script !== undefined) assert.ok(Number.isSafeInteger(script.version));
      },
    ),
    runs(500),
  );
});

Deno.test("errorInfo objects of any shape give an AosError, nothing, or a typed error", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.record({
          aosCode: fc.integer({ min: -2, max: 20 }),
          exitCode: fc.integer(),
          message: fc.string(),
        }),
        fc.object({ maxDepth: 1 }),
      ),
      (info) => {
        const result = outcome(() => fromErrorInfo(info), JSON.stringify(info));
        if (result.value !== undefined) assert.ok(result.value instanceof AosError);
      },
    ),
    runs(200),
  );
});

function streamOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

Deno.test("JSON read whole, from bytes or streamed in any pieces, is the same value or a typed error", async () => {
  const encoder = new TextEncoder();
  await fc.assert(
    fc.asyncProperty(
      fc.jsonValue({ maxDepth: 3 }),
      edits(),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 6 }),
      async (value, list, damaged, cuts) => {
        const valid = encoder.encode(JSON.stringify(value));
        const bytes = damaged ? damageBytes(valid, list) : valid;
        const whole = outcome(() => parseJson(bytes), bytes.length);
        if (!damaged) assert.deepEqual(whole.value, JSON.parse(JSON.stringify(value)));
        let streamed: unknown;
        try {
          streamed = { value: await parseJsonStream(streamOf(split(bytes, cuts))) };
        } catch (error) {
          assert.ok(error instanceof AosError, String(error));
          streamed = { error: error.message };
        }
        assert.deepEqual(
          streamed,
          whole.error === undefined ? { value: whole.value } : { error: whole.error.message },
        );
      },
    ),
    runs(200),
  );
});
