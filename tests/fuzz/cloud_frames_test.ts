// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Cloud frames and discovery responses, mutated: each decodes (and what
// decodes encodes and decodes again to the same message), or fails with a
// CloudProtocolError.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import {
  CloudProtocolError,
  decodeDiscoveryResponse,
  decodeFrame,
  encodeFrame,
} from "../../cloudprotocol/mod.ts";
import { damageBytes, edits, runs } from "./_fuzz.ts";
import { mutatedJson } from "./_json.ts";

const FRAMES = ["frames", "edges"].flatMap((dir) => {
  const url = new URL(`../cloudprotocol/testdata/${dir}/`, import.meta.url);
  return readdirSync(url).map((name) => readFileSync(new URL(name, url), "utf8"));
});

/** Decodes, re-encodes and decodes again; a failure must be a CloudProtocolError. */
function roundTrip(payload: string | Uint8Array): void {
  let frame;
  try {
    frame = decodeFrame(payload);
  } catch (err) {
    assert.ok(err instanceof CloudProtocolError, String(err));
    return;
  }
  assert.deepEqual(decodeFrame(encodeFrame(frame)), frame);
}

Deno.test("mutated cloud frames decode and re-encode, or fail with CloudProtocolError", () => {
  fc.assert(
    fc.property(mutatedJson(FRAMES), (root) => roundTrip(JSON.stringify(root))),
    runs(300),
  );
});

Deno.test("byte damage to cloud frames fails with CloudProtocolError only", () => {
  const encoder = new TextEncoder();
  const frames = FRAMES.map((text) => encoder.encode(text));
  fc.assert(
    fc.property(fc.constantFrom(...frames), edits(), (frame, list) => {
      roundTrip(damageBytes(frame, list));
    }),
    runs(300),
  );
});

const DISCOVERY = [
  '{"version":7,"systemId":"a3f1c9e0","nextRequestDelay":15000,' +
  '"connectionInfo":["wss://cm.example:9000/ws","ws://b"],"authToken":"dG9rZW4","errorCode":0}',
  '{"CONNECTIONINFO":[],"ERRORCODE":"2","extra":{"a":[1,2]}}',
];

Deno.test("mutated discovery responses decode or fail with CloudProtocolError", () => {
  fc.assert(
    fc.property(fc.oneof(mutatedJson(DISCOVERY), fc.jsonValue()), (root) => {
      try {
        const response = decodeDiscoveryResponse(JSON.stringify(root));
        assert.ok(Array.isArray(response.connectionInfo));
        assert.equal(typeof response.errorCode, "number");
      } catch (err) {
        assert.ok(err instanceof CloudProtocolError, String(err));
      }
    }),
    runs(200),
  );
});
