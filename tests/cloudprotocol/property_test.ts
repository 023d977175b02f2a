// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Property-based tests: random valid messages round-trip. Mutated frames are
// fuzzed in tests/fuzz/cloud_frames_test.ts.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type CloudMessage,
  decodeFrame,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  MESSAGE_TYPES,
} from "../../cloudprotocol/mod.ts";
import { MESSAGES } from "./_arbitraries.ts";

const HEADER = { version: 7, systemId: "unit", txn: "t" } as const;

Deno.test("random valid messages of every type round-trip through encode and decode", () => {
  for (const type of MESSAGE_TYPES) {
    fc.assert(
      fc.property(MESSAGES[type], (model) => {
        const msg = model as unknown as CloudMessage;
        assert.deepEqual(decodeMessage(encodeMessage(msg)), msg);
        assert.deepEqual(decodeFrame(encodeFrame({ header: HEADER, data: msg })).data, msg);
      }),
      { numRuns: 100 },
    );
  }
});
