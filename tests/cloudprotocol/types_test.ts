// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import {
  ALERT_TAGS,
  CERT_TYPES,
  CORE_COMPONENTS,
  ITEM_STATES,
  MESSAGE_TYPES,
  UPDATE_ITEM_TYPES,
} from "../../cloudprotocol/mod.ts";

Deno.test("MESSAGE_TYPES lists the 26 message types of version 7 in byte order", () => {
  assert.equal(MESSAGE_TYPES.length, 26);
  assert.equal(new Set(MESSAGE_TYPES).size, 26);
  assert.deepEqual([...MESSAGE_TYPES].sort(), [...MESSAGE_TYPES]);
});

Deno.test("enum tables keep AosCore's numeric order and sentinels", () => {
  assert.equal(UPDATE_ITEM_TYPES.indexOf("node-subject"), 8);
  assert.equal(ITEM_STATES[0], "unknown");
  assert.equal(CERT_TYPES.at(-1), "unknown");
  assert.equal(CORE_COMPONENTS.at(-1), "unknown");
  assert.equal(ALERT_TAGS.length, 7);
  assert.ok(!(ALERT_TAGS as readonly string[]).includes("unknown"));
});
